/** 窗口绩效 wording (issue 20), merged into the console's messages under `performance`. */
export const performanceZh = {
  heading: '窗口绩效考评',
  period: '考评周期', month: '月度', year: '年度', scheme: '考评方案', compute: '计算考评', recompute: '重新计算（生成新版本）', publish: '发布结果', published: '已发布',
  draft: '草稿（未发布）', version: '第 {{version}} 版', computedAt: '计算于 {{at}}', appealUntil: '申诉截止 {{at}}', noAppraisal: '该周期尚未计算考评', noScheme: '请先建立考评方案',
  subject: { label: '考评对象', clerk: '窗口人员', counter: '窗口' }, counterNumber: '窗口号', counterName: '窗口',
  rank: '排名', staffNumber: '工号', name: '姓名', events: '加减分', total: '综合得分',
  indicators: {
    cases_handled: '办件量', results_issued: '发证量', calls: '叫号量', served: '办结号数', punctuality: '服务准时率', accuracy: '服务准确率', completion: '办结率', satisfaction: '群众满意度',
  },
  rules: { relative: '按最高者比例', target: '按目标值', rate: '按比率' },
  schemes: {
    heading: '考评方案', new: '新建方案', edit: '编辑', name: '方案名称', include: '选用', weight: '分值', rule: '计分规则', target: '目标值', appealDays: '申诉期（天）', answerDays: '答复时限（天）',
    save: '保存方案', saved: '方案已保存', fullMarks: '满分 {{points}}',
  },
  eventsSection: {
    heading: '加分 / 扣分事件', clerks: '相关人员', day: '日期', kind: '类型', bonus: '加分', penalty: '扣分', points: '分值', reason: '理由', counts: '计入考评', record: '登记事件', recorded: '已登记 {{count}} 条',
    template: '下载上传模板', upload: '按模板上传', uploaded: '已上传 {{count}} 条', none: '本周期没有事件', source: { manual: '手工', import: '上传' }, remove: '删除',
  },
  appeals: {
    heading: '考评结果申诉', none: '暂无申诉', filedAt: '申诉时间', reason: '申诉理由', due: '答复期限', overdue: '已超时', status: '处理进度', pending: '待处理', outcome: { upheld: '申诉成立', rejected: '申诉不成立' },
    answer: '答复', answerText: '答复意见', send: '提交答复', answered: '已答复',
  },
  report: {
    heading: '考评结果统计', load: '查询', export: '导出 CSV', appraisals: '考评次数', average: '平均得分', bestRank: '最好名次', bonus: '加分', penalty: '扣分', grade: '等次', grades: { excellent: '优秀', good: '良好', pass: '合格', improve: '待改进' }, empty: '该周期没有已发布的考评结果', shares: '等次占比',
  },
  contacts: { heading: '短信通知号码', hint: '发布结果和答复申诉时以短信通知窗口人员（号码加密保存，不在页面显示）', phone: '手机号', save: '保存', has: '已设置', missing: '未设置', saved: '已保存' },
  mine: {
    heading: '我的绩效考评', none: '暂无已发布的考评结果', score: '得分', of: '共 {{count}} 人', value: '数据', points: '得分', appeal: '提出申诉', reason: '申诉理由（至少 5 个字）', submit: '提交申诉', submitted: '申诉已提交，请等待大厅管理员答复',
    closed: '申诉期已过', myAppeals: '我的申诉', answer: '答复：{{text}}',
  },
};

export const performanceEn: typeof performanceZh = {
  heading: 'Window performance',
  period: 'Period', month: 'Month', year: 'Year', scheme: 'Scheme', compute: 'Compute appraisal', recompute: 'Recompute (new version)', publish: 'Publish results', published: 'Published',
  draft: 'Draft (not published)', version: 'Version {{version}}', computedAt: 'Computed {{at}}', appealUntil: 'Appeals until {{at}}', noAppraisal: 'No appraisal computed for this period', noScheme: 'Create an appraisal scheme first',
  subject: { label: 'Appraise', clerk: 'Clerks', counter: 'Counters' }, counterNumber: 'Counter no.', counterName: 'Counter',
  rank: 'Rank', staffNumber: 'Staff no.', name: 'Name', events: 'Events', total: 'Total',
  indicators: {
    cases_handled: 'Cases handled', results_issued: 'Results issued', calls: 'Calls', served: 'Tickets served', punctuality: 'Punctuality', accuracy: 'Accuracy', completion: 'Completion rate', satisfaction: 'Satisfaction',
  },
  rules: { relative: 'Relative to the best', target: 'Against a target', rate: 'Rate' },
  schemes: {
    heading: 'Appraisal schemes', new: 'New scheme', edit: 'Edit', name: 'Scheme name', include: 'Use', weight: 'Points', rule: 'Scoring rule', target: 'Target', appealDays: 'Appeal period (days)', answerDays: 'Answer within (days)',
    save: 'Save scheme', saved: 'Scheme saved', fullMarks: 'Full marks {{points}}',
  },
  eventsSection: {
    heading: 'Bonus / penalty events', clerks: 'Clerks', day: 'Date', kind: 'Kind', bonus: 'Bonus', penalty: 'Penalty', points: 'Points', reason: 'Reason', counts: 'Counts in score', record: 'Record event', recorded: 'Recorded {{count}}',
    template: 'Download upload template', upload: 'Upload sheet', uploaded: 'Uploaded {{count}}', none: 'No events in this period', source: { manual: 'By hand', import: 'Uploaded' }, remove: 'Delete',
  },
  appeals: {
    heading: 'Appeals', none: 'No appeals', filedAt: 'Filed', reason: 'Reason', due: 'Answer by', overdue: 'Overdue', status: 'Progress', pending: 'Waiting', outcome: { upheld: 'Upheld', rejected: 'Rejected' },
    answer: 'Answer', answerText: 'Answer', send: 'Send answer', answered: 'Answered',
  },
  report: {
    heading: 'Appraisal report', load: 'Show', export: 'Export CSV', appraisals: 'Appraisals', average: 'Average score', bestRank: 'Best rank', bonus: 'Bonus', penalty: 'Penalty', grade: 'Grade', grades: { excellent: 'Excellent', good: 'Good', pass: 'Pass', improve: 'To improve' }, empty: 'No published results in this period', shares: 'Grade shares',
  },
  contacts: { heading: 'SMS numbers', hint: 'Clerks are told by SMS when results are published and appeals answered (numbers are stored encrypted and never shown)', phone: 'Mobile', save: 'Save', has: 'Set', missing: 'Not set', saved: 'Saved' },
  mine: {
    heading: 'My appraisal', none: 'No published results yet', score: 'Score', of: 'of {{count}}', value: 'Figure', points: 'Points', appeal: 'Appeal', reason: 'Reason (at least 5 characters)', submit: 'Submit appeal', submitted: 'Appeal submitted; the hall manager will answer',
    closed: 'The appeal period is over', myAppeals: 'My appeals', answer: 'Answer: {{text}}',
  },
};
