const zh = {
  title: '大厅管理控制台',
  login: { heading: '工作人员登录', login: '账号', password: '密码', submit: '登录', failed: '登录失败：{{message}}', noAccess: '该账号无管理权限' },
  nav: { live: '实时大厅', stats: '统计分析', supervision: '时限监督', services: '事项与情形', rules: '叫号规则与窗口', devices: '设备', notices: '公告' },
  header: { hall: '大厅', allHalls: '全部大厅', logout: '退出', configVersion: '配置版本 {{version}}', role: { hall_manager: '大厅管理员', supervisor: '督查', city_admin: '市级管理员', clerk: '窗口人员' } },
  live: {
    counters: '窗口状态', queues: '排队情况', devices: '设备状态', alerts: '告警', noAlerts: '暂无告警',
    counter: '窗口', state: '状态', clerk: '工作人员', queue: '队列', waiting: '等候人数', longestWait: '最长等候',
    status: { open: '空闲', closed: '未开窗', serving: '为您服务', paused: '暂停服务' },
    device: { name: '设备', role: '类型', status: '状态', lastSync: '最近同步', online: '在线', offline: '离线', pending: '待注册', revoked: '已吊销', never: '从未' },
    alert: { device_offline: '设备离线：{{subject}}（最近同步 {{detail}}）', long_wait: '等候过久：{{subject}} 已等候 {{detail}} 分钟', counter_paused: '窗口暂停：{{subject}}（{{detail}}）', locker: '文件柜告警：{{subject}}号柜 {{detail}}（{{time}}）' },
    lockerKind: { door_left_open: '柜门未关闭', door_jammed: '柜门无法打开', uncertain_after_restart: '断电后柜门状态不明', deposit_failed: '存件失败' },
    acknowledge: '确认处理', acknowledgeFailed: '确认失败：{{message}}',
    minutes: '{{m}} 分钟', updated: '更新于 {{time}}',
  },
  stats: {
    from: '开始日期', to: '结束日期', period: '时间粒度', dimension: '分组维度', load: '查询', export: '导出 CSV', exported: '已导出',
    periods: { day: '日', week: '周', month: '月', quarter: '季度', year: '年' },
    dimensions: { hall: '大厅', department: '部门', service: '事项', counter: '窗口', clerk: '工作人员' },
    chartTitle: '取号与办结', issued: '取号', served: '办结', missed: '过号', transferred: '转移',
    wait: '等候时长/分钟（均值/中位/P90）', service: '办理时长/分钟（均值/中位/P90）', satisfaction: '满意率', ratings: '评价数', appointments: '预约履约率',
    group: '分组', empty: '该范围内没有数据', unassigned: '（未指定）',
  },
  supervision: {
    heading: '办理时限监督', byDepartment: '各部门', department: '部门', service: '事项', caseId: '办件编号', due: '承诺办结日', status: '状态', light: '亮灯', over: '超期工作日',
    lights: { near: '即将到期', yellow: '黄灯（到期）', orange: '橙灯（超期1个工作日）', red: '红灯（超期1个工作日以上）' },
    caseStatus: { submitted: '待受理', accepted: '办理中', completed: '已办结', delivered: '已出件', refused: '不予受理' },
    none: '没有临近或超过时限的办件', asOf: '截至 {{today}}',
  },
  services: {
    list: '事项列表', tree: '情形问答', questions: '问题', situations: '情形', preview: '群众视角预览', save: '保存', saved: '已保存（配置版本 {{version}}）',
    addQuestion: '添加问题', addOption: '添加选项', addSituation: '添加情形', question: '问题', option: '选项', leadsTo: '下一步', situation: '情形', materials: '所需材料',
    root: '首个问题', restart: '重新开始', result: '结果：{{name}}', invalid: '问答无法继续：{{codes}}', noTree: '该事项无情形问答，所有材料均需提交', single: '单选', multi: '多选', required: '必答', remove: '删除',
  },
  rules: {
    calling: '叫号规则', counters: '窗口办理事项与优先级（数字越小越先叫）', servicePriorities: '事项 / 优先级', saved: '已保存', priorityGroups: '优先群体',
    fields: {
      normalPerPriority: '每个优先号之间的普通号数', maxRecalls: '最多重呼次数', missedRecallWindowMinutes: '过号后可再叫时限（分钟）', minSecondsBetweenRecalls: '重呼最短间隔（秒）',
      appointmentEarlyMinutes: '预约可提前签到（分钟）', appointmentLateMinutes: '预约可迟到（分钟）', callCountdownSeconds: '叫号后倒计时（秒）', ratingTimeoutSeconds: '评价超时默认好评（秒）', waitEstimateSampleSize: '等候估算样本数',
    },
  },
  devices: { heading: '设备管理', enrol: '登记新设备', id: '设备编号', name: '名称', role: '类型', create: '生成注册码', code: '注册码（仅显示一次）：{{code}}', revoke: '吊销', confirmRevoke: '确定吊销该设备？' },
  notices: { heading: '综合屏公告', text: '公告内容', textEn: '英文（可选）', active: '启用', add: '发布', none: '暂无公告' },
  common: { loading: '加载中…', error: '出错了：{{message}}', yes: '是', no: '否' },
};

type Messages = typeof zh;

const en: Messages = {
  title: 'Hall console',
  login: { heading: 'Staff sign-in', login: 'Login', password: 'Password', submit: 'Sign in', failed: 'Sign-in failed: {{message}}', noAccess: 'This account has no management rights' },
  nav: { live: 'Live hall', stats: 'Statistics', supervision: 'Time limits', services: 'Services', rules: 'Calling & counters', devices: 'Devices', notices: 'Notices' },
  header: { hall: 'Hall', allHalls: 'All halls', logout: 'Sign out', configVersion: 'Config version {{version}}', role: { hall_manager: 'Hall manager', supervisor: 'Supervisor', city_admin: 'City administrator', clerk: 'Clerk' } },
  live: {
    counters: 'Counters', queues: 'Queues', devices: 'Devices', alerts: 'Alerts', noAlerts: 'No alerts',
    counter: 'Counter', state: 'State', clerk: 'Clerk', queue: 'Queue', waiting: 'Waiting', longestWait: 'Longest wait',
    status: { open: 'Open', closed: 'Closed', serving: 'Serving', paused: 'Paused' },
    device: { name: 'Device', role: 'Role', status: 'Status', lastSync: 'Last sync', online: 'Online', offline: 'Offline', pending: 'Not enrolled', revoked: 'Revoked', never: 'never' },
    alert: { device_offline: 'Device offline: {{subject}} (last sync {{detail}})', long_wait: 'Long wait: {{subject}}, {{detail}} min', counter_paused: 'Counter paused: {{subject}} ({{detail}})', locker: 'Locker: {{subject}}, {{detail}} ({{time}})' },
    lockerKind: { door_left_open: 'door left open', door_jammed: 'door will not open', uncertain_after_restart: 'door state unknown after a power cut', deposit_failed: 'deposit failed' },
    acknowledge: 'Acknowledge', acknowledgeFailed: 'Could not acknowledge: {{message}}',
    minutes: '{{m}} min', updated: 'Updated {{time}}',
  },
  stats: {
    from: 'From', to: 'To', period: 'Period', dimension: 'Group by', load: 'Show', export: 'Export CSV', exported: 'Exported',
    periods: { day: 'Day', week: 'Week', month: 'Month', quarter: 'Quarter', year: 'Year' },
    dimensions: { hall: 'Hall', department: 'Department', service: 'Service', counter: 'Counter', clerk: 'Clerk' },
    chartTitle: 'Tickets issued and served', issued: 'Issued', served: 'Served', missed: 'Missed', transferred: 'Transferred',
    wait: 'Wait, min (mean/median/p90)', service: 'Service, min (mean/median/p90)', satisfaction: 'Satisfied', ratings: 'Ratings', appointments: 'Appointments kept',
    group: 'Group', empty: 'No data in this range', unassigned: '(unassigned)',
  },
  supervision: {
    heading: 'Time-limit supervision', byDepartment: 'By department', department: 'Department', service: 'Service', caseId: 'Case', due: 'Due', status: 'Status', light: 'Light', over: 'Working days over',
    lights: { near: 'Due soon', yellow: 'Yellow (due)', orange: 'Orange (1 working day over)', red: 'Red (more than 1 day over)' },
    caseStatus: { submitted: 'Submitted', accepted: 'In progress', completed: 'Completed', delivered: 'Delivered', refused: 'Refused' },
    none: 'No case is near or past its time limit', asOf: 'As of {{today}}',
  },
  services: {
    list: 'Services', tree: 'Situation questions', questions: 'Questions', situations: 'Situations', preview: "Citizen's path preview", save: 'Save', saved: 'Saved (config version {{version}})',
    addQuestion: 'Add question', addOption: 'Add option', addSituation: 'Add situation', question: 'Question', option: 'Option', leadsTo: 'Leads to', situation: 'Situation', materials: 'Materials',
    root: 'First question', restart: 'Start over', result: 'Result: {{name}}', invalid: 'The path stops: {{codes}}', noTree: 'No decision tree: every material applies', single: 'Single', multi: 'Multiple', required: 'Required', remove: 'Remove',
  },
  rules: {
    calling: 'Calling rules', counters: 'Services per counter and their priority (lower is called first)', servicePriorities: 'Service / priority', saved: 'Saved', priorityGroups: 'Priority groups',
    fields: {
      normalPerPriority: 'Normal tickets per priority ticket', maxRecalls: 'Maximum recalls', missedRecallWindowMinutes: 'Missed ticket recall window (min)', minSecondsBetweenRecalls: 'Seconds between recalls',
      appointmentEarlyMinutes: 'Appointment early check-in (min)', appointmentLateMinutes: 'Appointment late allowance (min)', callCountdownSeconds: 'Call countdown (s)', ratingTimeoutSeconds: 'Rating timeout (s)', waitEstimateSampleSize: 'Wait estimate sample size',
    },
  },
  devices: { heading: 'Devices', enrol: 'Register a device', id: 'Device id', name: 'Name', role: 'Role', create: 'Create enrolment code', code: 'Enrolment code (shown once): {{code}}', revoke: 'Revoke', confirmRevoke: 'Revoke this device?' },
  notices: { heading: 'Wall display notices', text: 'Notice', textEn: 'English (optional)', active: 'Active', add: 'Publish', none: 'No notices' },
  common: { loading: 'Loading…', error: 'Error: {{message}}', yes: 'Yes', no: 'No' },
};

export const consoleMessages = { 'zh-CN': zh, en };
