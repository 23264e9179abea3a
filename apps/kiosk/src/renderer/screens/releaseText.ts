import type { ReleaseReason } from '@hall/shared';
import type { Bilingual } from '../locker/text';

/**
 * 导办放号 speaks to the floor guide in both languages at once, Chinese first: a refusal must
 * be read at a glance while a citizen waits beside the guide.
 */
export const R = {
  entry: { zh: '导办放号', en: 'Floor guide' },
  title: { zh: '导办放号', en: 'Floor guide: issue a ticket' },
  enter: { zh: '请输入8位放号密码', en: 'Enter the 8-digit release password' },
  checking: { zh: '正在核验…', en: 'Checking…' },
  onSite: { zh: '现场号', en: 'On-site ticket' },
  special: { zh: '特殊号', en: 'Special ticket' },
  remaining: { zh: '剩余可用次数', en: 'Uses left' },
  reason: { zh: '请选择放号原因', en: 'Choose the reason' },
  note: { zh: '补充说明（必填）', en: 'Note (required)' },
  service: { zh: '请选择办理事项，出号', en: 'Choose the matter to issue the ticket' },
  cancel: { zh: '取消', en: 'Cancel' },
  release_wrong: { zh: '密码错误，请核对后重新输入', en: 'Wrong password. Check it and try again.' },
  release_expired: { zh: '此密码不是今天的，已失效或尚未生效', en: 'This password is not valid today.' },
  release_used: { zh: '此密码已用完，请联系大厅管理员', en: 'This password has been used up. Ask the hall manager.' },
  release_mismatch: { zh: '此密码不能用于该号票', en: 'This password cannot issue this ticket.' },
  failed: { zh: '出号失败，请重试或联系管理员', en: 'The ticket could not be issued. Try again or ask the hall manager.' },
} satisfies Record<string, Bilingual>;

export const REASON_TEXT: Record<ReleaseReason, Bilingual> = {
  elderly_helped: { zh: '协助老年人', en: 'Helping an elderly citizen' },
  disability: { zh: '残疾人', en: 'Disability' },
  military: { zh: '军人优先', en: 'Military priority' },
  pregnant: { zh: '孕妇/怀抱婴儿', en: 'Pregnant / carrying an infant' },
  enterprise: { zh: '企业专办', en: 'Enterprise' },
  urgent: { zh: '紧急情况', en: 'Urgent' },
  system_fault: { zh: '系统故障补号', en: 'System fault' },
  other: { zh: '其他', en: 'Other' },
};
