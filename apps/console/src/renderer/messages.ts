const zh = {
  title: '大厅管理控制台',
  login: { heading: '工作人员登录', login: '账号', password: '密码', submit: '登录', failed: '登录失败：{{message}}', noAccess: '该账号无管理权限' },
  nav: { live: '实时大厅', stats: '统计分析', supervision: '时限监督', services: '事项与情形', rules: '叫号规则', devices: '设备', notices: '公告', staff: '人员与角色', layout: '队列与窗口', forms: '表单', sms: '短信模板', calendar: '节假日' },
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
    exportXlsx: '导出 Excel',
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
  staff: {
    heading: '工作人员', add: '新增人员', login: '账号', displayName: '姓名', staffNumber: '工号', roles: '角色', password: '初始密码', newPassword: '新密码',
    counters: '可办理窗口', queues: '可呼叫队列', any: '不限', status: '状态', active: '在用', disabled: '已停用', edit: '编辑', create: '添加',
    save: '保存', resetPassword: '重置密码', disable: '停用', enable: '启用', saved: '已保存', passwordReset: '密码已重置', created: '已添加 {{name}}', cancel: '取消',
    passwordHint: '至少 8 位', counterNumber: '{{number}}号', rolesHint: '市级管理员只能由市级管理员授予',
  },
  layout: {
    queues: '队列', counters: '窗口', priorityGroups: '优先群体（绿色通道）', prefix: '字头', name: '名称', nameEn: '英文名称', services: '事项', kinds: '票号类型', digits: '号码位数',
    number: '窗口号', department: '部门', kind: '窗口类型', priority: '优先级', queueIds: '呼叫队列', none: '（无）', addQueue: '新增队列', addCounter: '新增窗口', addGroup: '新增群体',
    minAge: '自动归入年龄', edit: '编辑', save: '保存', saved: '已保存', cancel: '取消',
    ticketKinds: { walk_in: '现场', appointment: '预约', consultation: '咨询', pickup: '领证', enterprise: '企业' },
    counterKinds: { service: '专窗', general: '综合窗口', delivery: '出件窗口' },
  },
  forms: {
    heading: '表单', usedBy: '使用事项：{{names}}', version: '版本 {{version}}', fields: '字段', label: '名称', kind: '类型', required: '必填', pattern: '校验规则（正则）', patternExample: '例：\\d{6}',
    minLength: '最少字数', maxLength: '最多字数', autofill: '自动填入', personal: '个人信息', options: '选项（每行 值=名称）', addField: '添加字段', remove: '删除', up: '上移', down: '下移',
    save: '保存为新版本', saved: '已保存为版本 {{version}}', preview: '自助机预览', previewHint: '按自助机的规则校验，可输入试试', id: '字段编号', section: '分组', noForms: '本大厅事项未使用表单', fixErrors: '还有 {{count}} 项需要修改', submit: '下一步',
    kinds: { text: '文字', number: '数字', date: '日期', choice: '选择', id_number: '身份证号', phone: '电话', address: '地址' },
    sources: {
      'idcard.name': '身份证·姓名', 'idcard.sex': '身份证·性别', 'idcard.nation': '身份证·民族', 'idcard.birthDate': '身份证·出生日期', 'idcard.address': '身份证·住址',
      'idcard.idNumber': '身份证·号码', 'idcard.issuer': '身份证·签发机关', 'residenceCode.name': '粤居码·姓名', 'residenceCode.idNumber': '粤居码·号码', 'residenceCode.phone': '粤居码·电话', history: '历史填写',
    },
    autofilled: '已从{{source}}读取', errors: { required: '此项必填', minLength: '至少 {{count}} 个字', maxLength: '最多 {{count}} 个字', pattern: '格式不正确', idNumber: '身份证号码不正确，请核对', phone: '请填写11位手机号或带区号的固定电话', date: '请按 年-月-日 填写', dateRange: '日期超出允许范围', number: '请填写数字', numberRange: '数值超出允许范围' },
  },
  sms: {
    heading: '短信模板', template: '事件', text: '短信内容', builtIn: '系统默认', custom: '本大厅自定义', placeholders: '可用占位符', preview: '预览（示例数据已脱敏）', length: '{{count}} 字，约 {{parts}} 条',
    save: '保存', reset: '恢复默认', saved: '已保存', problems: '需要修改：',
    names: { locker_deposited: '已存柜（发送取件码）', locker_picked_up: '已取件', locker_returned: '超期退回窗口', locker_flagged: '无法取件' },
    params: { caseNumber: '办件编号', lockerName: '文件柜', compartmentId: '柜格号', pickupCode: '取件码', at: '取件时间' },
  },
  calendar: {
    heading: '节假日与调休', year: '年份', day: '日期', to: '至', kind: '类型', name: '名称', add: '添加', remove: '删除', none: '本年度未设置节假日',
    kinds: { holiday: '法定节假日（闭厅）', workday: '调休上班' }, saved: '已保存', weekdays: '常规开放：{{days}}。', hint: '时限监督按工作日计算：节假日不计，调休上班日计入。',
    weekday: { 1: '周一', 2: '周二', 3: '周三', 4: '周四', 5: '周五', 6: '周六', 7: '周日' },
  },
  common: { loading: '加载中…', error: '出错了：{{message}}', yes: '是', no: '否' },
};

type Messages = typeof zh;

const en: Messages = {
  title: 'Hall console',
  login: { heading: 'Staff sign-in', login: 'Login', password: 'Password', submit: 'Sign in', failed: 'Sign-in failed: {{message}}', noAccess: 'This account has no management rights' },
  nav: { live: 'Live hall', stats: 'Statistics', supervision: 'Time limits', services: 'Services', rules: 'Calling rules', devices: 'Devices', notices: 'Notices', staff: 'Staff', layout: 'Queues & counters', forms: 'Forms', sms: 'SMS', calendar: 'Holidays' },
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
    exportXlsx: 'Export Excel',
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
  staff: {
    heading: 'Staff', add: 'Add a staff member', login: 'Login', displayName: 'Name', staffNumber: 'Staff no.', roles: 'Roles', password: 'Initial password', newPassword: 'New password',
    counters: 'Counters', queues: 'Queues', any: 'Any', status: 'Status', active: 'Active', disabled: 'Disabled', edit: 'Edit', create: 'Add',
    save: 'Save', resetPassword: 'Reset password', disable: 'Disable', enable: 'Enable', saved: 'Saved', passwordReset: 'Password reset', created: 'Added {{name}}', cancel: 'Cancel',
    passwordHint: 'at least 8 characters', counterNumber: 'No. {{number}}', rolesHint: 'Only a city administrator grants the city administrator role',
  },
  layout: {
    queues: 'Queues', counters: 'Counters', priorityGroups: 'Priority groups', prefix: 'Prefix', name: 'Name', nameEn: 'English name', services: 'Services', kinds: 'Ticket kinds', digits: 'Digits',
    number: 'Number', department: 'Department', kind: 'Kind', priority: 'Priority', queueIds: 'Calls from queues', none: '(none)', addQueue: 'Add queue', addCounter: 'Add counter', addGroup: 'Add group',
    minAge: 'Joins automatically from age', edit: 'Edit', save: 'Save', saved: 'Saved', cancel: 'Cancel',
    ticketKinds: { walk_in: 'Walk-in', appointment: 'Appointment', consultation: 'Consultation', pickup: 'Pickup', enterprise: 'Enterprise' },
    counterKinds: { service: 'Service', general: 'General', delivery: 'Delivery' },
  },
  forms: {
    heading: 'Forms', usedBy: 'Used by: {{names}}', version: 'Version {{version}}', fields: 'Fields', label: 'Label', kind: 'Type', required: 'Required', pattern: 'Validation pattern (regex)', patternExample: 'e.g. \\d{6}',
    minLength: 'Min length', maxLength: 'Max length', autofill: 'Autofill from', personal: 'Personal data', options: 'Options (one per line, value=label)', addField: 'Add field', remove: 'Remove', up: 'Up', down: 'Down',
    save: 'Save as new version', saved: 'Saved as version {{version}}', preview: 'Kiosk preview', previewHint: 'Checked by the kiosk rules: try typing', id: 'Field id', section: 'Section', noForms: 'No service of this hall uses a form', fixErrors: '{{count}} fields to fix', submit: 'Next',
    kinds: { text: 'Text', number: 'Number', date: 'Date', choice: 'Choice', id_number: 'ID number', phone: 'Phone', address: 'Address' },
    sources: {
      'idcard.name': 'ID card · name', 'idcard.sex': 'ID card · sex', 'idcard.nation': 'ID card · ethnicity', 'idcard.birthDate': 'ID card · birth date', 'idcard.address': 'ID card · address',
      'idcard.idNumber': 'ID card · number', 'idcard.issuer': 'ID card · issuer', 'residenceCode.name': 'Residence code · name', 'residenceCode.idNumber': 'Residence code · number', 'residenceCode.phone': 'Residence code · phone', history: 'Earlier entries',
    },
    autofilled: 'Read from {{source}}', errors: { required: 'Required', minLength: 'At least {{count}} characters', maxLength: 'At most {{count}} characters', pattern: 'Wrong format', idNumber: 'Not a valid ID number', phone: 'A mobile number or a landline with area code', date: 'Use year-month-day', dateRange: 'Date out of range', number: 'Enter a number', numberRange: 'Number out of range' },
  },
  sms: {
    heading: 'SMS templates', template: 'Event', text: 'Text', builtIn: 'Built-in', custom: 'This hall’s text', placeholders: 'Placeholders', preview: 'Preview (sample data, masked)', length: '{{count}} characters, about {{parts}} message(s)',
    save: 'Save', reset: 'Back to built-in', saved: 'Saved', problems: 'To fix:',
    names: { locker_deposited: 'Deposited (pickup code)', locker_picked_up: 'Picked up', locker_returned: 'Returned to the counter', locker_flagged: 'Cannot be picked up' },
    params: { caseNumber: 'Case number', lockerName: 'Locker', compartmentId: 'Compartment', pickupCode: 'Pickup code', at: 'Pickup time' },
  },
  calendar: {
    heading: 'Holidays and make-up working days', year: 'Year', day: 'Day', to: 'to', kind: 'Kind', name: 'Name', add: 'Add', remove: 'Remove', none: 'No holidays set for this year',
    kinds: { holiday: 'Public holiday (closed)', workday: 'Make-up working day' }, saved: 'Saved', weekdays: 'Usually open: {{days}}.', hint: 'Time limits count working days: holidays are skipped, make-up working days count.',
    weekday: { 1: 'Mon', 2: 'Tue', 3: 'Wed', 4: 'Thu', 5: 'Fri', 6: 'Sat', 7: 'Sun' },
  },
  common: { loading: 'Loading…', error: 'Error: {{message}}', yes: 'Yes', no: 'No' },
};

export const consoleMessages = { 'zh-CN': zh, en };
