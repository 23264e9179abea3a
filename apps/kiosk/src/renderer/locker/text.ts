/** The locker speaks both languages at once: a citizen at night has nobody to ask. */
export interface Bilingual {
  zh: string;
  en: string;
}

export const T = {
  title: { zh: '24小时自助文件柜', en: '24-hour document locker' },
  scanTitle: { zh: '扫码取件', en: 'Scan to collect' },
  scanHint: { zh: '请打开粤居码，将二维码对准下方扫码口', en: 'Open your residence code and hold the QR code under the scanner below' },
  byCode: { zh: '没有手机？用取件码 + 身份证取件', en: 'No phone? Use the pickup code and your ID card' },
  clerkHint: { zh: '工作人员存件：直接扫描存件码', en: 'Staff: scan a deposit code to deposit' },
  doorOpen: { zh: '柜门已打开，请取出文件并关好柜门', en: 'The door is open. Take your documents and close the door.' },
  depositOpen: { zh: '柜门已打开，请放入文件并关好柜门', en: 'The door is open. Put the documents in and close the door.' },
  returnOpen: { zh: '请取出超期未领文件并关好柜门', en: 'Take out the unclaimed documents and close the doors.' },
  done: { zh: '已完成，谢谢！', en: 'Done. Thank you!' },
  jammed: { zh: '柜门无法打开，请到出件窗口领取，已通知工作人员', en: 'The door would not open. Please collect at the delivery counter; staff have been told.' },
  uncertain: { zh: '请到出件窗口由工作人员协助', en: 'Please ask the staff at the delivery counter.' },
  enterCode: { zh: '请输入短信中的8位取件码', en: 'Enter the 8-digit pickup code from the SMS' },
  placeCard: { zh: '请将身份证放在读卡区', en: 'Place your ID card on the reader' },
  confirm: { zh: '确认', en: 'Confirm' },
  clear: { zh: '清除', en: 'Clear' },
  back: { zh: '返回', en: 'Back' },
  home: { zh: '返回首页', en: 'Home' },
  offline: { zh: '离线运行：取件不受影响', en: 'Offline: pickup still works' },
  online: { zh: '在线', en: 'Online' },
  free: { zh: '空闲柜格', en: 'Free compartments' },
  compartment: { zh: '号柜', en: '' },
  caseNumber: { zh: '办件编号', en: 'Case' },
  lockedUntil: { zh: '暂停取件至', en: 'Paused until' },
  working: { zh: '正在处理，请稍候…', en: 'Working, please wait…' },
} satisfies Record<string, Bilingual>;
