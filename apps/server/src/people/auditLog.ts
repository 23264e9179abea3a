import type { Kysely } from 'kysely';
import { z } from 'zod';
import { IdSchema, maskIdNumber, maskName, maskPhone } from '@hall/shared';
import type { Database } from '../db/schema';

const Instant = z.string().datetime({ offset: true });

/** The audit page's filters: who (login or id), what (action, entity), when (from ≤ at < to), hall. */
export const AuditQuery = z.object({
  hallId: IdSchema.optional(),
  actor: z.string().min(1).max(64).optional(),
  action: z.string().min(1).max(32).optional(),
  entity: z.string().min(1).max(32).optional(),
  from: Instant.optional(),
  to: Instant.optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

export interface AuditRow {
  id: string;
  at: string;
  actor: { kind: string; id: string; login: string | null; name: string | null };
  hallId: string | null;
  action: string;
  entity: string;
  entityId: string;
  detail: Record<string, unknown> | null;
}

const ID_NUMBER = /\b\d{17}[\dXx]\b|\b\d{15}\b/g;
const MOBILE = /\b1[3-9]\d{9}\b/g;

/**
 * Audit entries hold ids and field names, never personal data; this is the second line:
 * anything shaped like an ID number or a mobile number is masked before it leaves the server.
 */
export function maskPersonal(text: string): string {
  return text.replace(ID_NUMBER, (m) => maskIdNumber(m)).replace(MOBILE, (m) => maskPhone(m));
}

function maskDetail(value: unknown): unknown {
  if (typeof value === 'string') return maskPersonal(value);
  if (Array.isArray(value)) return value.map(maskDetail);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskDetail(v)]));
  return value;
}

function filtered(db: Kysely<Database>, query: Omit<AuditQuery, 'page' | 'pageSize'>) {
  let q = db.selectFrom('audit_log').leftJoin('staff', (join) => join.onRef('staff.id', '=', 'audit_log.actor_id').on('audit_log.actor_kind', '=', 'staff'));
  if (query.hallId) q = q.where('audit_log.hall_id', '=', query.hallId);
  if (query.actor) {
    const actor = query.actor;
    q = q.where((eb) => eb.or([eb('audit_log.actor_id', '=', actor), eb('staff.login', '=', actor)]));
  }
  if (query.action) q = q.where('audit_log.action', '=', query.action);
  if (query.entity) q = q.where('audit_log.entity', '=', query.entity);
  // Stored instants are ISO UTC text, which sorts as time: compare in the same form.
  if (query.from) q = q.where('audit_log.at', '>=', new Date(query.from).toISOString());
  if (query.to) q = q.where('audit_log.at', '<', new Date(query.to).toISOString());
  return q;
}

/** One page of entries, newest first, and how many match in all. */
export async function searchAudit(db: Kysely<Database>, query: AuditQuery, limit = query.pageSize): Promise<{ entries: AuditRow[]; total: number }> {
  const [rows, count] = await Promise.all([
    filtered(db, query)
      .select([
        'audit_log.id',
        'audit_log.at',
        'audit_log.actor_kind',
        'audit_log.actor_id',
        'audit_log.hall_id',
        'audit_log.action',
        'audit_log.entity',
        'audit_log.entity_id',
        'audit_log.detail_json',
        'staff.login',
        'staff.display_name',
      ])
      .orderBy('audit_log.at', 'desc')
      .orderBy('audit_log.id')
      .limit(limit)
      .offset((query.page - 1) * query.pageSize)
      .execute(),
    filtered(db, query)
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirst(),
  ]);
  const entries = rows.map((r) => ({
    id: r.id,
    at: r.at,
    actor: { kind: r.actor_kind, id: r.actor_id, login: r.login ?? null, name: r.display_name ? maskName(r.display_name) : null },
    hallId: r.hall_id,
    action: r.action,
    entity: r.entity,
    entityId: maskPersonal(r.entity_id),
    detail: r.detail_json ? (maskDetail(JSON.parse(r.detail_json)) as Record<string, unknown>) : null,
  }));
  return { entries, total: Number(count?.n ?? 0) };
}

export const AUDIT_EXPORT_HEADER = ['时间', '操作人账号', '操作人', '大厅', '动作', '对象', '对象编号', '详情'] as const;

export function auditExportRow(row: AuditRow): string[] {
  return [row.at, row.actor.login ?? `${row.actor.kind}:${row.actor.id}`, row.actor.name ?? '', row.hallId ?? '', row.action, row.entity, row.entityId, row.detail ? JSON.stringify(row.detail) : ''];
}
