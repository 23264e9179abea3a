/** Issue 20's pages: departments, roles, the audit log, staff accounts in Excel. */
export const peopleZh = {
  departments: {
    heading: '部门管理', add: '新增部门', name: '部门名称', nameEn: '英文名称（可选）', id: '编号', staff: '人员', counters: '窗口', services: '事项', status: '状态',
    active: '在用', inactive: '已停用', rename: '改名', save: '保存', cancel: '取消', deactivate: '停用', activate: '启用', created: '已新增部门 {{name}}', saved: '已保存',
    inUse: '该部门仍有 {{staff}} 名人员、{{counters}} 个窗口、{{services}} 个事项，请先调整后再停用',
    hint: '仍有人员、窗口或事项的部门不能停用；停用的部门保留历史记录，不再分配给新人员。',
  },
  roles: {
    heading: '角色与权限', builtIn: '内置角色（默认，不可修改）', custom: '自定义角色', add: '新建角色', edit: '编辑', name: '角色名称', scope: '适用范围', department: '部门',
    scopes: { city: '全市', hall: '本大厅', department: '本部门' }, permissions: '可用页面', save: '保存', cancel: '取消', created: '已创建角色 {{name}}', saved: '已保存',
    active: '在用', inactive: '已停用', deactivate: '停用', activate: '启用', none: '尚无自定义角色',
    assign: '给人员分配角色', staff: '人员', assigned: '已分配角色', builtInOnly: '按内置角色', assignSave: '保存分配', assignedOk: '已为 {{name}} 分配角色',
    hint: '人员一旦分配了自定义角色，只能使用这些角色包含的页面（不会超出其内置角色的权限）；清空分配即恢复内置角色。',
  },
  audit: {
    heading: '审计日志', who: '操作人（账号）', action: '动作', entity: '对象', from: '开始日期', to: '结束日期', search: '查询', any: '全部', exportCsv: '导出 CSV', exportXlsx: '导出 Excel',
    at: '时间', actor: '操作人', hall: '大厅', entityId: '对象编号', detail: '详情', total: '共 {{total}} 条', prev: '上一页', next: '下一页', page: '第 {{page}} / {{pages}} 页', none: '没有符合条件的记录',
    actions: { create: '新增', update: '修改', delete: '删除', login: '登录', logout: '退出', lockout: '锁定', assign_roles: '分配角色', export: '导出' },
    entities: { staff: '人员', role: '角色', department: '部门', service: '事项', notice: '公告', calendar: '节假日', audit_log: '审计日志' },
  },
  staffExcel: {
    heading: '批量导入导出（Excel）', export: '导出人员账号', import: '导入 Excel', imported: '已导入：新增 {{created}} 人，更新 {{updated}} 人', rowError: '第 {{row}} 行 {{column}}：{{message}}',
    hint: '列：工号、登录名、姓名、部门编号、角色（clerk/officer/supervisor/hall_manager，逗号分隔）、状态（启用/停用）、初始密码（新账号必填）。有任何错误时整份文件不导入。导出文件不含密码。',
    refused: '文件未导入：',
  },
};

export const peopleEn: typeof peopleZh = {
  departments: {
    heading: 'Departments', add: 'Add department', name: 'Name', nameEn: 'English name (optional)', id: 'Id', staff: 'Staff', counters: 'Counters', services: 'Services', status: 'Status',
    active: 'Active', inactive: 'Switched off', rename: 'Rename', save: 'Save', cancel: 'Cancel', deactivate: 'Switch off', activate: 'Switch on', created: 'Department {{name}} added', saved: 'Saved',
    inUse: 'This department still has {{staff}} staff, {{counters}} counters and {{services}} services; move them first',
    hint: 'A department that still has staff, counters or services cannot be switched off; a switched-off one keeps its history and takes no new staff.',
  },
  roles: {
    heading: 'Roles and permissions', builtIn: 'Built-in roles (defaults, read-only)', custom: 'Configured roles', add: 'New role', edit: 'Edit', name: 'Role name', scope: 'Scope', department: 'Department',
    scopes: { city: 'City', hall: 'This hall', department: 'Department' }, permissions: 'Pages', save: 'Save', cancel: 'Cancel', created: 'Role {{name}} created', saved: 'Saved',
    active: 'Active', inactive: 'Switched off', deactivate: 'Switch off', activate: 'Switch on', none: 'No configured roles yet',
    assign: 'Assign roles to staff', staff: 'Staff member', assigned: 'Assigned roles', builtInOnly: 'Built-in role', assignSave: 'Save assignment', assignedOk: 'Roles assigned to {{name}}',
    hint: 'Staff with configured roles use only the pages those roles include (never beyond their built-in role); clear the assignment to go back to the built-in role.',
  },
  audit: {
    heading: 'Audit log', who: 'Who (login)', action: 'Action', entity: 'Object', from: 'From', to: 'To', search: 'Search', any: 'Any', exportCsv: 'Export CSV', exportXlsx: 'Export Excel',
    at: 'Time', actor: 'Who', hall: 'Hall', entityId: 'Object id', detail: 'Detail', total: '{{total}} entries', prev: 'Previous', next: 'Next', page: 'Page {{page}} of {{pages}}', none: 'No matching entries',
    actions: { create: 'Create', update: 'Update', delete: 'Delete', login: 'Sign-in', logout: 'Sign-out', lockout: 'Lockout', assign_roles: 'Assign roles', export: 'Export' },
    entities: { staff: 'Staff', role: 'Role', department: 'Department', service: 'Service', notice: 'Notice', calendar: 'Holidays', audit_log: 'Audit log' },
  },
  staffExcel: {
    heading: 'Import and export (Excel)', export: 'Export staff accounts', import: 'Import Excel', imported: 'Imported: {{created}} added, {{updated}} updated', rowError: 'Row {{row}} {{column}}: {{message}}',
    hint: 'Columns: 工号, 登录名, 姓名, 部门编号, 角色 (clerk/officer/supervisor/hall_manager, comma separated), 状态 (启用/停用), 初始密码 (required for new accounts). Any error and nothing is imported. Exports never contain passwords.',
    refused: 'Nothing imported:',
  },
};
