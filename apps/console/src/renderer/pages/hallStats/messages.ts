/** Wording of the statistics issue 20 adds (themes, half-years, pauses, extended hours). */
export const hallStatsZh = {
  trends: '主题与周期统计', by: '分组', byTheme: '按主题', byHall: '全大厅', period: '周期',
  periods: { month: '月', quarter: '季度', half: '半年', year: '年' },
  group: '主题', key: '周期', issued: '取号', served: '办结', accepted: '受理', growth: '环比', trend: '趋势', whole: '全大厅',
  directions: { up: '上升', down: '下降', flat: '持平' },
  hours: '暂停服务与延时服务统计', counter: '窗口', pauses: '暂停次数', paused: '暂停时长（分）', reasons: '暂停原因（分）',
  lateCalls: '闭厅后叫号', lateServed: '延时办结', extended: '延时服务时长（分）',
  hoursHint: '依据各窗口同步的暂停/恢复/开关窗口记录与叫号时间；闭厅时间取大厅营业时间的最后一个时段，非营业日的服务全部计为延时服务。',
  none: '无',
  outbox: {
    heading: '好差评推送（市级平台）', counts: '已推送 {{delivered}} 条，待推送 {{pending}} 条，推送失败 {{failed}} 条', oldest: '最早待推送 {{at}}',
    notConfigured: '尚未配置市级好差评平台地址（HALL_RATING_PLATFORM_URL）：评价在队列中等待，配置后自动补推，不会丢失。',
    failedHint: '推送失败的评价被平台拒收，请联系平台核对后处理。',
  },
};

export const hallStatsEn: typeof hallStatsZh = {
  trends: 'Themes and periods', by: 'Group', byTheme: 'By theme', byHall: 'Whole hall', period: 'Period',
  periods: { month: 'Month', quarter: 'Quarter', half: 'Half-year', year: 'Year' },
  group: 'Theme', key: 'Period', issued: 'Issued', served: 'Served', accepted: 'Cases accepted', growth: 'vs previous', trend: 'Trend', whole: 'Whole hall',
  directions: { up: 'rising', down: 'falling', flat: 'flat' },
  hours: 'Pauses and extended hours', counter: 'Counter', pauses: 'Pauses', paused: 'Paused (min)', reasons: 'By reason (min)',
  lateCalls: 'Calls after closing', lateServed: 'Served after closing', extended: 'Extended service (min)',
  hoursHint: 'From the pause/resume/open/close commands and call times each counter syncs; closing is the end of the hall’s last session, and service on a closed day counts as extended in full.',
  none: 'none',
  outbox: {
    heading: 'Ratings to the city platform', counts: '{{delivered}} delivered, {{pending}} waiting, {{failed}} failed', oldest: 'oldest waiting {{at}}',
    notConfigured: 'No city rating platform configured (HALL_RATING_PLATFORM_URL): ratings wait in the queue and go once it is; none is lost.',
    failedHint: 'Failed ratings were refused by the platform; check them with the platform’s operator.',
  },
};
