import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DEFAULT_CASE_RULES, localDay, openSupplement, type Case, type Catalogue } from '@hall/shared';
import type { Database } from '../db/schema';
import { addEntry } from '../blacklist/store';
import { addDays } from '../blacklist/rule';
import type { DataKeyring } from '../secrets/keyring';
import { enqueueSms } from '../sms/outbox';
import type { SmsTemplate } from '../sms/templates';
import { recordAudit } from '../store/audit';
import { openFormValues } from '../sync/formValues';
import { syncDb } from '../sync/tables';

export type StaffNoticeTables = {
  staff_notices: { id: string; staff_id: string; hall_id: string; case_id: string | null; kind: string; text: string; created_at: string; read_at: string | null };
};

export function noticeDb(db: Kysely<Database>): Kysely<Database & StaffNoticeTables> {
  return db.withTables<StaffNoticeTables>();
}

const SYSTEM = { kind: 'system', id: 'case-lifecycle' } as const;

/** The number the citizen knows the case by: the receipt's, else the start of its id. */
export function caseNumberOf(kase: Pick<Case, 'id' | 'number'>): string {
  return kase.number ?? kase.id.slice(0, 12);
}

/**
 * The citizen's mobile number: the case's own form (the phone field the kiosk or the clerk
 * filled), opened only here, in the transaction that queues the message.
 */
export async function casePhone(db: Kysely<Database>, keyring: DataKeyring, catalogue: Pick<Catalogue, 'forms'>, kase: Case): Promise<string | undefined> {
  const row = await syncDb(db).selectFrom('sync_case_forms').select('values_json').where('case_id', '=', kase.id).executeTakeFirst();
  const stored = row?.values_json;
  if (!stored) return undefined;
  const values = openFormValues(keyring, kase.id, stored) as Record<string, unknown>;
  const form = catalogue.forms.find((f) => f.id === kase.formId);
  const phoneFields = form ? form.sections.flatMap((s) => s.fields).filter((f) => f.kind === 'phone').map((f) => f.id) : ['phone'];
  for (const id of phoneFields) {
    const value = values[id];
    if (typeof value === 'string' && /^1\d{10}$/.test(value)) return value;
  }
  return undefined;
}

async function smsCitizen(db: Kysely<Database>, keyring: DataKeyring, catalogue: Catalogue, kase: Case, key: string, template: SmsTemplate, params: Record<string, string>, now: Date): Promise<void> {
  const phone = await casePhone(db, keyring, catalogue, kase);
  if (!phone) return;
  await enqueueSms(db, keyring, { idempotencyKey: `case:${kase.id}:${key}`, hallId: kase.hallId, phone, template, params }, now);
}

/** A line in a staff member's inbox (转办, a clerk's question for the department). */
export async function noticeStaff(db: Kysely<Database>, notice: { staffId: string; hallId: string; caseId: string; kind: string; text: string }, now: Date): Promise<void> {
  await noticeDb(db)
    .insertInto('staff_notices')
    .values({ id: randomUUID(), staff_id: notice.staffId, hall_id: notice.hallId, case_id: notice.caseId, kind: notice.kind, text: notice.text, created_at: now.toISOString(), read_at: null })
    .execute();
}

function pickupText(kase: Case): string {
  switch (kase.delivery) {
    case 'locker':
      return '结果将存入24小时自助文件柜，存入后另行短信通知取件。';
    case 'post':
      return '结果将按您登记的地址邮寄。';
    case 'electronic':
      return '电子证照已送达，可在政务服务平台查看。';
    default:
      return '请携带身份证到大厅出件窗口领取。';
  }
}

/**
 * Who hears of a step, in the transaction that made it: the citizen by SMS (wording per
 * hall, sms/templates), officers in their inbox. A case closed for a missed supplement
 * deadline puts the citizen on the hall's blacklist for the configured period.
 */
export async function notifyCaseStep(ctx: { dataKeys: DataKeyring }, db: Kysely<Database>, catalogue: Catalogue, kase: Case, type: string, now: Date): Promise<void> {
  const keyring = ctx.dataKeys;
  const number = caseNumberOf(kase);
  const service = catalogue.services.find((s) => s.id === kase.serviceId);
  const serviceName = service?.name.zh ?? kase.serviceId;
  const day = (iso: string) => localDay(iso, catalogue.hall.timeZone);
  switch (type) {
    case 'requestSupplement': {
      const open = openSupplement(kase);
      if (!open) return;
      const items = open.items.map((i) => i.note).join('；').slice(0, 120);
      await smsCitizen(db, keyring, catalogue, kase, `supplement:${open.id}`, 'case_supplement_requested', { caseNumber: number, serviceName, items, dueDate: day(open.dueAt) }, now);
      return;
    }
    case 'completeCase':
      // A locker result's SMS comes from the locker, with the pickup code, when it is deposited.
      if (kase.delivery !== 'locker') await smsCitizen(db, keyring, catalogue, kase, 'completed', 'case_completed', { caseNumber: number, serviceName, pickup: pickupText(kase) }, now);
      return;
    case 'denyCase':
      await smsCitizen(db, keyring, catalogue, kase, 'refused', 'case_refused', { caseNumber: number, serviceName, reason: (kase.refusalReason ?? '').slice(0, 80) }, now);
      return;
    case 'transferCase':
      if (kase.assignedStaffId) await noticeStaff(db, { staffId: kase.assignedStaffId, hallId: kase.hallId, caseId: kase.id, kind: 'transfer', text: `办件${number}（${serviceName}）已转办给您：${kase.timeline.at(-1)?.note ?? ''}` }, now);
      return;
    case 'requestConsult':
      await noticeDepartment(db, kase, catalogue, `窗口咨询办件${number}（${serviceName}）：${kase.consult?.question ?? ''}`, now);
      return;
    case 'closeOverdueCase': {
      await smsCitizen(db, keyring, catalogue, kase, 'closed', 'case_closed_overdue', { caseNumber: number, serviceName }, now);
      if (kase.assignedStaffId) await noticeStaff(db, { staffId: kase.assignedStaffId, hallId: kase.hallId, caseId: kase.id, kind: 'closed', text: `办件${number}逾期未补正，系统已终止办理` }, now);
      else await noticeDepartment(db, kase, catalogue, `办件${number}逾期未补正，系统已终止办理`, now);
      const barDays = (catalogue.caseRules ?? DEFAULT_CASE_RULES).overdueBarDays;
      if (kase.citizen && barDays > 0) {
        const today = day(now.toISOString());
        const entryId = await addEntry(db, {
          hallId: kase.hallId,
          idHash: kase.citizen.idHash,
          maskedName: kase.citizen.maskedName,
          reason: `办件${number}逾期未补正`,
          source: 'case_overdue',
          from: today,
          until: addDays(today, barDays),
          by: SYSTEM.id,
          at: now.toISOString(),
        });
        await recordAudit(db, { actor: SYSTEM, action: 'create', entity: 'blacklist', entityId: entryId, hallId: kase.hallId, detail: { source: 'case_overdue', caseId: kase.id } }, now);
      }
      return;
    }
  }
}

/** Every officer of the case's department in its hall. */
async function noticeDepartment(db: Kysely<Database>, kase: Case, catalogue: Catalogue, text: string, now: Date): Promise<void> {
  const departmentId = kase.departmentId ?? catalogue.services.find((s) => s.id === kase.serviceId)?.departmentId;
  if (!departmentId) return;
  const officers = await db.selectFrom('staff').select(['id', 'roles_json']).where('hall_id', '=', kase.hallId).where('department_id', '=', departmentId).execute();
  for (const officer of officers) {
    if ((JSON.parse(officer.roles_json) as string[]).includes('officer')) await noticeStaff(db, { staffId: officer.id, hallId: kase.hallId, caseId: kase.id, kind: 'consult', text }, now);
  }
}
