import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/schema';
import { SMS_TEMPLATES, type SmsTemplate } from '../sms/templates';

/**
 * Per-hall wording of the SMS the suite sends (issue 9). The sms module keeps one built-in
 * text per event; a hall may replace it with its own, written with {placeholders} for the
 * event's parameters. Secret parameters (the pickup code) must stay in the text, or the
 * citizen could not open the locker.
 */
const PLACEHOLDER = /\{(\w+)\}/g;
/** Chinese carriers require the sender's signature 【…】 at the start of every message. */
const SIGNATURE = /^【[^【】]{2,16}】/;
/** Parameters the citizen cannot do without. */
const REQUIRED: Partial<Record<SmsTemplate, readonly string[]>> = {
  locker_deposited: ['caseNumber', 'pickupCode'],
  booking_confirmed: ['date', 'slot'],
  booking_moved: ['date', 'slot'],
  service_paused: ['date', 'slot'],
  booking_reminder: ['date', 'slot'],
  ticket_position: ['number'],
};

export const SMS_TEMPLATE_NAMES = Object.keys(SMS_TEMPLATES) as SmsTemplate[];

/** The parameters of a template, in the order its built-in text uses them. */
export function templateParams(template: SmsTemplate): string[] {
  return Object.keys(SMS_TEMPLATES[template].params.shape);
}

/** The built-in text with {placeholders} where its parameters go. */
export function builtInText(template: SmsTemplate): string {
  const placeholders = Object.fromEntries(templateParams(template).map((p) => [p, `{${p}}`]));
  return (SMS_TEMPLATES[template].render as (p: Record<string, string>) => string)(placeholders);
}

/** Problems of a hall's text for a template; empty when it may be saved. */
export function templateProblems(template: SmsTemplate, body: string): string[] {
  const known = new Set(templateParams(template));
  const used = new Set([...body.matchAll(PLACEHOLDER)].map((m) => m[1]!));
  const problems: string[] = [];
  if (!SIGNATURE.test(body)) problems.push('the text must start with the sender signature, e.g. 【政务服务大厅】');
  for (const name of used) if (!known.has(name)) problems.push(`unknown placeholder {${name}}`);
  const needed = [...(SMS_TEMPLATES[template].secret as readonly string[]), ...(REQUIRED[template] ?? [])];
  for (const name of new Set(needed)) if (!used.has(name)) problems.push(`the text must contain {${name}}`);
  return problems;
}

/** Fills {placeholders}; an unknown one stays as written so a preview shows the mistake. */
export function fillTemplate(body: string, params: Readonly<Record<string, string>>): string {
  return body.replace(PLACEHOLDER, (whole, name: string) => params[name] ?? whole);
}

export const SmsTextSchema = z.object({ body: z.string().trim().min(1).max(500).nullable() });

interface SmsTextTable {
  hall_id: string;
  template: string;
  body: string;
  updated_at: string;
}
const tables = (db: Kysely<Database>) => db.withTables<{ sms_template_texts: SmsTextTable }>();

export interface SmsTemplateView {
  template: SmsTemplate;
  params: string[];
  secret: string[];
  builtIn: string;
  /** The hall's own text, when it has one. */
  custom: string | null;
  updatedAt: string | null;
}

export async function listSmsTemplates(db: Kysely<Database>, hallId: string): Promise<SmsTemplateView[]> {
  const rows = await tables(db).selectFrom('sms_template_texts').selectAll().where('hall_id', '=', hallId).execute();
  const byName = new Map(rows.map((r) => [r.template, r]));
  return SMS_TEMPLATE_NAMES.map((template) => ({
    template,
    params: templateParams(template),
    secret: [...(SMS_TEMPLATES[template].secret as readonly string[])],
    builtIn: builtInText(template),
    custom: byName.get(template)?.body ?? null,
    updatedAt: byName.get(template)?.updated_at ?? null,
  }));
}

/** Saves a hall's text, or with null goes back to the built-in one. */
export async function putSmsText(db: Kysely<Database>, hallId: string, template: SmsTemplate, body: string | null, at: Date): Promise<void> {
  await tables(db).deleteFrom('sms_template_texts').where('hall_id', '=', hallId).where('template', '=', template).execute();
  if (body !== null) await tables(db).insertInto('sms_template_texts').values({ hall_id: hallId, template, body, updated_at: at.toISOString() }).execute();
}

/**
 * The message a hall sends for an event: its own text when set, the built-in one
 * otherwise (and for a message of no known hall). The sms outbox calls it as it sends.
 */
export async function renderHallSms(db: Kysely<Database>, hallId: string | null, template: SmsTemplate, params: unknown): Promise<string> {
  const parsed = SMS_TEMPLATES[template].params.parse(params) as Record<string, string>;
  const row =
    hallId === null
      ? undefined
      : await tables(db).selectFrom('sms_template_texts').select('body').where('hall_id', '=', hallId).where('template', '=', template).executeTakeFirst();
  return row ? fillTemplate(row.body, parsed) : (SMS_TEMPLATES[template].render as (p: Record<string, string>) => string)(parsed);
}

/** Sample values for previews: made up, and the secret shown as the outbox keeps it after sending. */
const SAMPLE: Readonly<Record<string, string>> = {
  caseNumber: 'GZ2026031100123',
  lockerName: '一楼24小时文件柜',
  compartmentId: 'A07',
  pickupCode: '********',
  at: '2026-03-11 14:05',
  number: 'A012',
  counterNumber: '3',
  code: '******',
  minutes: '5',
  hallName: '市民服务中心',
  serviceName: '户籍证明',
  date: '2026-03-12',
  slot: '09:30-10:00',
  reason: '系统升级',
  // Appraisal SMS (performance/, issue 20).
  period: '2026-03',
  score: '86.5',
  rank: '2/8',
  appealUntil: '2026-04-08',
  outcome: '申诉不成立，维持原结果',
};

export function previewSms(template: SmsTemplate, body: string): { text: string; problems: string[]; length: number } {
  const text = fillTemplate(body, SAMPLE);
  // Carriers bill 70 characters per message (67 per part of a long one).
  return { text, problems: templateProblems(template, body), length: Array.from(text).length };
}
