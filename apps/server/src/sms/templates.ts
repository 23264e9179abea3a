import { z } from 'zod';

/**
 * One template per event. Parameters are checked before a message is queued, so a
 * message that could not be rendered never waits in the outbox. `secret` parameters are
 * scrubbed from the row once the gateway has the message.
 */
export const SMS_TEMPLATES = {
  locker_deposited: {
    params: z.object({ caseNumber: z.string(), lockerName: z.string(), compartmentId: z.string(), pickupCode: z.string().regex(/^\d{8}$/) }),
    secret: ['pickupCode'],
    render: (p: { caseNumber: string; lockerName: string; compartmentId: string; pickupCode: string }) =>
      `【政务服务大厅】您的办件${p.caseNumber}结果已存入24小时自助文件柜（${p.lockerName} ${p.compartmentId}号柜）。请扫粤居码取件，或输入取件码${p.pickupCode}并刷身份证取件。取件码仅可使用一次，请勿告知他人。`,
  },
  locker_picked_up: {
    params: z.object({ caseNumber: z.string(), lockerName: z.string(), at: z.string() }),
    secret: [],
    render: (p: { caseNumber: string; lockerName: string; at: string }) =>
      `【政务服务大厅】您的办件${p.caseNumber}结果已于${p.at}从${p.lockerName}取出。如非本人操作，请致电大厅或到窗口咨询。`,
  },
  locker_returned: {
    params: z.object({ caseNumber: z.string() }),
    secret: [],
    render: (p: { caseNumber: string }) => `【政务服务大厅】您的办件${p.caseNumber}结果超期未领取，已退回出件窗口，请携带身份证到窗口领取。`,
  },
  locker_flagged: {
    params: z.object({ caseNumber: z.string() }),
    secret: [],
    render: (p: { caseNumber: string }) => `【政务服务大厅】您的办件${p.caseNumber}结果暂时无法从文件柜取出，请携带身份证到出件窗口领取，给您带来不便敬请谅解。`,
  },
  blacklist_barred: {
    params: z.object({ hallName: z.string(), noShows: z.string(), windowDays: z.string(), until: z.string() }),
    secret: [],
    render: (p: { hallName: string; noShows: string; windowDays: string; until: string }) =>
      `【政务服务大厅】您${p.windowDays}天内预约${p.hallName}未到${p.noShows}次，已被列入预约黑名单，${p.until}前不能预约和预约签到。如有异议，请到大厅咨询。`,
  },
  case_supplement_requested: {
    params: z.object({ caseNumber: z.string(), serviceName: z.string(), items: z.string(), dueDate: z.string() }),
    secret: [],
    render: (p: { caseNumber: string; serviceName: string; items: string; dueDate: string }) =>
      `【政务服务大厅】您的办件${p.caseNumber}（${p.serviceName}）需补齐补正：${p.items}。请于${p.dueDate}前携带材料到大厅任一窗口办理，逾期将终止办理。`,
  },
  case_supplement_reminder: {
    params: z.object({ caseNumber: z.string(), dueDate: z.string() }),
    secret: [],
    render: (p: { caseNumber: string; dueDate: string }) => `【政务服务大厅】提醒：您的办件${p.caseNumber}补正材料请于${p.dueDate}前送达大厅窗口，逾期将终止办理并记入诚信记录。`,
  },
  case_closed_overdue: {
    params: z.object({ caseNumber: z.string(), serviceName: z.string() }),
    secret: [],
    render: (p: { caseNumber: string; serviceName: string }) => `【政务服务大厅】您的办件${p.caseNumber}（${p.serviceName}）因逾期未补正已终止办理。如需继续办理，请重新申请。`,
  },
  case_completed: {
    params: z.object({ caseNumber: z.string(), serviceName: z.string(), pickup: z.string() }),
    secret: [],
    render: (p: { caseNumber: string; serviceName: string; pickup: string }) => `【政务服务大厅】您的办件${p.caseNumber}（${p.serviceName}）已办结。${p.pickup}`,
  },
  case_refused: {
    params: z.object({ caseNumber: z.string(), serviceName: z.string(), reason: z.string() }),
    secret: [],
    render: (p: { caseNumber: string; serviceName: string; reason: string }) => `【政务服务大厅】您的办件${p.caseNumber}（${p.serviceName}）未获批准，原因：${p.reason}。如有疑问请到大厅咨询。`,
  },
  // Issue 18: booking from the phone. The code is scrubbed from the outbox once sent.
  // 过号: the re-call window of the calling rules, to a citizen whose booked ticket was missed.
  ticket_missed: {
    params: z.object({ number: z.string(), counterNumber: z.string(), minutes: z.string() }),
    secret: [],
    render: (p: { number: string; counterNumber: string; minutes: string }) =>
      `【政务服务大厅】您的号码${p.number}已过号。请在${p.minutes}分钟内到${p.counterNumber}号窗口，工作人员将再次叫号；逾时请重新取号。`,
  },
  booking_code: {
    params: z.object({ code: z.string().regex(/^\d{6}$/), minutes: z.string() }),
    secret: ['code'],
    render: (p: { code: string; minutes: string }) => `【政务服务大厅】您的预约验证码为${p.code}，${p.minutes}分钟内有效。请勿告知他人。`,
  },
  booking_confirmed: {
    params: z.object({ hallName: z.string(), serviceName: z.string(), date: z.string(), slot: z.string() }),
    secret: [],
    render: (p: { hallName: string; serviceName: string; date: string; slot: string }) =>
      `【政务服务大厅】您已预约${p.date} ${p.slot}到${p.hallName}办理${p.serviceName}。请按时携带身份证到自助取号机签到取号。`,
  },
  booking_moved: {
    params: z.object({ hallName: z.string(), serviceName: z.string(), date: z.string(), slot: z.string() }),
    secret: [],
    render: (p: { hallName: string; serviceName: string; date: string; slot: string }) =>
      `【政务服务大厅】您在${p.hallName}办理${p.serviceName}的预约已改到${p.date} ${p.slot}，原时段已释放。`,
  },
  booking_cancelled: {
    params: z.object({ hallName: z.string(), serviceName: z.string(), date: z.string(), slot: z.string() }),
    secret: [],
    render: (p: { hallName: string; serviceName: string; date: string; slot: string }) =>
      `【政务服务大厅】您${p.date} ${p.slot}在${p.hallName}办理${p.serviceName}的预约已取消。`,
  },
  // Batch SMS from the console (issue 18): a hall or a service pauses over booked days.
  service_paused: {
    params: z.object({ hallName: z.string(), serviceName: z.string(), date: z.string(), slot: z.string(), reason: z.string() }),
    secret: [],
    render: (p: { hallName: string; serviceName: string; date: string; slot: string; reason: string }) =>
      `【政务服务大厅】因${p.reason}，${p.hallName}${p.serviceName}业务暂停办理。您预约的${p.date} ${p.slot}无法按时办理，请改约其他时间，给您带来不便敬请谅解。`,
  },
  // The day before a booking (issue 18), sent once per appointment.
  booking_reminder: {
    params: z.object({ hallName: z.string(), serviceName: z.string(), date: z.string(), slot: z.string() }),
    secret: [],
    render: (p: { hallName: string; serviceName: string; date: string; slot: string }) =>
      `【政务服务大厅】提醒：您预约了明天${p.date} ${p.slot}到${p.hallName}办理${p.serviceName}，请按时携带身份证到自助取号机签到取号。`,
  },
  // 考评短信提醒 (issue 20): to a clerk when their appraisal result is published and when their appeal is answered.
  appraisal_published: {
    params: z.object({ period: z.string(), score: z.string(), rank: z.string(), appealUntil: z.string() }),
    secret: [],
    render: (p: { period: string; score: string; rank: string; appealUntil: string }) =>
      `【政务服务大厅】您${p.period}的窗口绩效考评结果已发布：得分${p.score}，排名${p.rank}。如有异议，请于${p.appealUntil}前登录管理控制台提出申诉。`,
  },
  appeal_answered: {
    params: z.object({ period: z.string(), outcome: z.string() }),
    secret: [],
    render: (p: { period: string; outcome: string }) => `【政务服务大厅】您对${p.period}绩效考评结果的申诉已处理：${p.outcome}。详情请登录管理控制台查看。`,
  },
  // 到号前短信提醒 (issue 18): asked for at the kiosk, sent once at the hall's N people ahead.
  ticket_position: {
    // link: the ticket's follow page under the hall's public address (console), empty without one.
    params: z.object({ number: z.string(), ahead: z.string(), link: z.string() }),
    secret: [],
    render: (p: { number: string; ahead: string; link: string }) => `【政务服务大厅】您的号码${p.number}前面还有${p.ahead}人，即将叫号，请回到等候区留意叫号屏。${p.link ? `排队进度：${p.link}` : ''}`,
  },
} as const;

export type SmsTemplate = keyof typeof SMS_TEMPLATES;
export const SmsTemplateSchema = z.enum(Object.keys(SMS_TEMPLATES) as [SmsTemplate, ...SmsTemplate[]]);

export function renderSms(template: SmsTemplate, params: unknown): string {
  const spec = SMS_TEMPLATES[template];
  const parsed = spec.params.parse(params);
  return (spec.render as (p: typeof parsed) => string)(parsed);
}

export function scrubSecrets(template: SmsTemplate, params: Record<string, unknown>): Record<string, unknown> {
  const out = { ...params };
  for (const key of SMS_TEMPLATES[template].secret as readonly string[]) if (key in out) out[key] = '********';
  return out;
}
