/** 物料流转 refusal texts (codes of HandoffRefusalCode), merged into the counter's rejection messages. */
export const HANDOFF_REFUSALS_ZH = {
  not_a_slip: '这不是物料流转单的二维码',
  other_hall: '这张流转单属于其他大厅，本窗口不能签收',
  forged_code: '流转单二维码无效（被改动，或已被新的流转单替换）',
  handoff_moving: '材料已经流转出本窗口，不能重新打包',
  duplicate_handoff_id: '流转单编号已被使用',
  not_in_package: '办件不在这张流转单上',
  unknown_item: '材料不在流转单上',
  already_signed: '这张流转单已在本环节签收过',
  wrong_step: '材料已过了这个环节，不能在这里签收',
  case_not_ready: '办件还没到这个环节',
  case_ended: '办件已终止，材料不再流转',
} as const;

export const HANDOFF_REFUSALS_EN = {
  not_a_slip: 'this code is not a hand-off slip',
  other_hall: 'this slip belongs to another hall; it cannot be signed in here',
  forged_code: 'the slip code is not valid (altered, or replaced by a newer slip)',
  handoff_moving: 'the paper already left this counter; it cannot be rebundled',
  duplicate_handoff_id: 'the hand-off number is already used',
  not_in_package: 'the case is not on this slip',
  unknown_item: 'the item is not on the slip',
  already_signed: 'this slip was already signed in at this step',
  wrong_step: 'the paper is past this step; it cannot be signed in here',
  case_not_ready: 'the case has not reached this step',
  case_ended: 'the case ended; its paper moves no more',
} as const;

/** The counter's 物料流转 screen (namespace key "handoff"). */
export const HANDOFF_TEXT_ZH = {
  nav: '物料流转',
  heading: '物料流转',
  scanHint: '扫描或输入流转单二维码，回车签收',
  sign: '签收',
  signed: '已签收流转单 {{number}}（{{count}} 件）',
  candidates: '今天本窗口受理、材料尚未交出的办件',
  none: '没有待交出的材料',
  onSlip: '已在流转单 {{number}}',
  remove: '移除',
  addItem: '增加材料名称',
  add: '增加',
  print: '打印物料流转单',
  printPackage: '打包 {{count}} 件，打印物料流转包',
  started: '已打印流转单 {{number}}（{{count}} 件）',
} as const;

export const HANDOFF_TEXT_EN = {
  nav: 'Hand-offs',
  heading: 'Material hand-off',
  scanHint: 'Scan or type a slip code, Enter signs it in',
  sign: 'Sign in',
  signed: 'Slip {{number}} signed in ({{count}} cases)',
  candidates: "Cases accepted here today whose papers are still at this window",
  none: 'No papers waiting to go',
  onSlip: 'on slip {{number}}',
  remove: 'Remove',
  addItem: 'Add a paper',
  add: 'Add',
  print: 'Print hand-off slip',
  printPackage: 'Bundle {{count}} cases, print package slip',
  started: 'Slip {{number}} printed ({{count}} cases)',
} as const;
