/** The catalogue pages' wording (issue 20), merged into the console's messages under `catalogue`. */
export const catalogueZh = {
  tabs: { services: '事项', materials: '共享材料库', themes: '主题与标签', workbook: 'Excel 导入导出' },
  list: '事项列表', search: '搜索名称或编码', allThemes: '全部主题', allTags: '全部标签', newService: '+ 新建事项', empty: '没有符合条件的事项',
  basics: '基本信息', guide: '办事指南', materials: '申请材料', history: '版本历史',
  save: '保存事项', saved: '已保存，第 {{version}} 版，大厅设备将自动更新', created: '已新建事项“{{name}}”',
  invalid: '还有 {{count}} 处需要修改，未保存', lines: '每行一项', commaHint: '用顿号或逗号分隔',
  field: {
    code: '事项编码', name_zh: '事项名称', name_en: '英文名称', departmentId: '部门', queueId: '排队队列', theme: '主题', tags: '标签', keywords: '搜索关键词',
    guide_handlingAuthority: '承办机构', guide_legalBasis: '设定依据', guide_conditions: '受理条件', guide_statutoryDays: '法定时限（工作日）', guide_promisedDays: '承诺时限（工作日）',
    guide_processSteps: '办理流程', guide_fees_free: '不收费', guide_fees_description: '收费说明', guide_place: '办理地点', guide_enquiryPhone: '咨询电话', guide_applicants: '办理对象', guide_onlineAvailable: '可网上办理',
    formId: '申请表', dailyCap: '每日限额', acceptWithPendingMaterials: '容缺受理', decisionTree: '情形问答', materials: '申请材料',
    name: '材料名称', originals: '原件份数', copies: '复印件份数', form: '形式', required: '必需', sharedId: '共享材料', blankFormRef: '空表', sampleFormRef: '样表', reviewPoints: '审查要点', note: '备注',
  },
  problem: { required: '必填', number: '请填写不小于 0 的整数', duplicate: '材料编号重复', invalid: '格式不对' },
  applicants: { person: '自然人', organisation: '法人或其他组织', both: '自然人、法人或其他组织' },
  forms: { paper: '纸质', electronic: '电子', paper_or_electronic: '纸质或电子' },
  fromLibrary: '来自共享材料库', fromLibraryHint: '内容由共享材料库统一维护', addFromLibrary: '从共享材料库添加', addOwn: '+ 添加本事项专用材料', remove: '移除', pick: '请选择',
  versions: { version: '版本', who: '保存人', when: '保存时间', system: '（启用版本记录前的内容）', compare: '比较所选两个版本', pickTwo: '勾选两个版本进行比较', none: '尚无版本记录' },
  diff: {
    heading: '版本差异：第 {{from}} 版 → 第 {{to}} 版', field: '项目', before: '修改前', after: '修改后', none: '两个版本内容相同', materials: '材料变化',
    added: '新增材料', removed: '删除材料', changed: '修改材料', treeChanged: '情形问答有修改', empty: '（空）', yes: '是', no: '否',
  },
  library: {
    heading: '共享材料库', hint: '材料只需录入一次，可在多个事项中引用；修改后所有引用它的事项同步更新。', add: '+ 新建共享材料', edit: '编辑', save: '保存材料', usedBy: '使用它的事项', unused: '尚未被使用',
    saved: '已保存，同步更新了 {{count}} 个事项', delete: '删除', deleted: '已删除', nameRequired: '请填写材料名称',
  },
  themes: { heading: '主题', tags: '标签', count: '{{count}} 个事项', hint: '主题和标签在事项的基本信息中填写；点击可筛选事项列表。', noTags: '尚无标签' },
  workbook: {
    heading: 'Excel 导入导出', exportHint: '导出本大厅全部事项（“事项”表一行一个事项，“材料”表一行一份材料）。情形问答、表单不在表格中，导入时保持不变。',
    export: '导出 Excel', importHint: '导入前会逐行检查；只要有一行不合格，整个文件都不导入。', choose: '选择要导入的 Excel 文件', import: '导入',
    done: '导入完成：新增 {{created}} 个，修改 {{updated}} 个，未变 {{unchanged}} 个', refused: '文件未导入：以下 {{count}} 行需要修改', sheet: '工作表', row: '行号', problem: '问题', rowLabel: '第 {{row}} 行',
  },
};

export const catalogueEn: typeof catalogueZh = {
  tabs: { services: 'Services', materials: 'Shared materials', themes: 'Themes & tags', workbook: 'Excel import/export' },
  list: 'Services', search: 'Search name or code', allThemes: 'All themes', allTags: 'All tags', newService: '+ New service', empty: 'No service matches',
  basics: 'Basics', guide: 'Guide', materials: 'Materials', history: 'Version history',
  save: 'Save service', saved: 'Saved as version {{version}}; hall devices update by themselves', created: 'Created “{{name}}”',
  invalid: '{{count}} field(s) to correct; nothing was saved', lines: 'One item per line', commaHint: 'Separate with commas',
  field: {
    code: 'Service code', name_zh: 'Name', name_en: 'English name', departmentId: 'Department', queueId: 'Queue', theme: 'Theme', tags: 'Tags', keywords: 'Search keywords',
    guide_handlingAuthority: 'Handled by', guide_legalBasis: 'Legal basis', guide_conditions: 'Conditions', guide_statutoryDays: 'Statutory limit (working days)', guide_promisedDays: 'Promised limit (working days)',
    guide_processSteps: 'Process', guide_fees_free: 'Free of charge', guide_fees_description: 'Fees', guide_place: 'Place', guide_enquiryPhone: 'Enquiry phone', guide_applicants: 'Who may apply', guide_onlineAvailable: 'Also online',
    formId: 'Form', dailyCap: 'Daily cap', acceptWithPendingMaterials: 'Accept with pending materials', decisionTree: 'Situation questions', materials: 'Materials',
    name: 'Material name', originals: 'Originals', copies: 'Copies', form: 'Form', required: 'Required', sharedId: 'Shared material', blankFormRef: 'Blank form', sampleFormRef: 'Sample form', reviewPoints: 'Review points', note: 'Note',
  },
  problem: { required: 'Required', number: 'A whole number, 0 or more', duplicate: 'Duplicate material id', invalid: 'Not valid' },
  applicants: { person: 'Individuals', organisation: 'Organisations', both: 'Individuals and organisations' },
  forms: { paper: 'Paper', electronic: 'Electronic', paper_or_electronic: 'Paper or electronic' },
  fromLibrary: 'From the shared library', fromLibraryHint: 'Kept in the shared materials library', addFromLibrary: 'Add from the shared library', addOwn: '+ Add a material of this service', remove: 'Remove', pick: 'Choose',
  versions: { version: 'Version', who: 'Saved by', when: 'Saved at', system: '(as it was before versions were kept)', compare: 'Compare the two ticked versions', pickTwo: 'Tick two versions to compare', none: 'No versions yet' },
  diff: {
    heading: 'Changes: version {{from}} → version {{to}}', field: 'Field', before: 'Before', after: 'After', none: 'The two versions are the same', materials: 'Materials',
    added: 'Added', removed: 'Removed', changed: 'Changed', treeChanged: 'The situation questions changed', empty: '(empty)', yes: 'Yes', no: 'No',
  },
  library: {
    heading: 'Shared materials library', hint: 'Enter a material once and use it in many services; an edit updates every service using it.', add: '+ New shared material', edit: 'Edit', save: 'Save material', usedBy: 'Used by', unused: 'Not used yet',
    saved: 'Saved; {{count}} service(s) updated', delete: 'Delete', deleted: 'Deleted', nameRequired: 'Enter the material’s name',
  },
  themes: { heading: 'Themes', tags: 'Tags', count: '{{count}} service(s)', hint: 'Themes and tags are set in a service’s basics; click one to filter the list.', noTags: 'No tags yet' },
  workbook: {
    heading: 'Excel import/export', exportHint: 'Exports every service of the hall (sheet “事项”: one row per service; sheet “材料”: one row per material). Situation questions and forms are not in the workbook and stay as they are on import.',
    export: 'Export to Excel', importHint: 'Every row is checked first; if any row is wrong, nothing of the file is imported.', choose: 'Choose the Excel file to import', import: 'Import',
    done: 'Imported: {{created}} new, {{updated}} changed, {{unchanged}} unchanged', refused: 'Not imported: {{count}} row(s) to correct', sheet: 'Sheet', row: 'Row', problem: 'Problem', rowLabel: 'row {{row}}',
  },
};
