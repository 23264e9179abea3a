import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

export interface AuditActor {
  /** `platform`: the citizen platform's backend, by its shared key (residence codes). */
  kind: 'staff' | 'device' | 'system' | 'platform';
  id: string;
}

export interface AuditEntry {
  actor: AuditActor;
  action: 'create' | 'update' | 'delete' | 'login' | 'logout' | 'lockout' | 'seed' | (string & {});
  entity: string;
  entityId: string;
  hallId?: string | null;
  /** Never personal data: ids and changed field names only. */
  detail?: Record<string, unknown>;
}

/** Call inside the same transaction as the write it records. */
export async function recordAudit(db: Kysely<Database>, entry: AuditEntry, at: Date): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      id: randomUUID(),
      at: at.toISOString(),
      actor_kind: entry.actor.kind,
      actor_id: entry.actor.id,
      hall_id: entry.hallId ?? null,
      action: entry.action,
      entity: entry.entity,
      entity_id: entry.entityId,
      detail_json: entry.detail ? JSON.stringify(entry.detail) : null,
    })
    .execute();
}

export async function listAudit(db: Kysely<Database>, filter: { entity?: string; entityId?: string; limit?: number }) {
  let query = db.selectFrom('audit_log').selectAll().orderBy('at', 'desc').orderBy('id').limit(filter.limit ?? 100);
  if (filter.entity) query = query.where('entity', '=', filter.entity);
  if (filter.entityId) query = query.where('entity_id', '=', filter.entityId);
  const rows = await query.execute();
  return rows.map((r) => ({
    at: r.at,
    actor: { kind: r.actor_kind, id: r.actor_id },
    hallId: r.hall_id,
    action: r.action,
    entity: r.entity,
    entityId: r.entity_id,
    detail: r.detail_json ? (JSON.parse(r.detail_json) as Record<string, unknown>) : undefined,
  }));
}
