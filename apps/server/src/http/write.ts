import type { Kysely } from 'kysely';
import type { ServerContext } from '../context';
import type { Database } from '../db/schema';
import { recordAudit, type AuditEntry } from '../store/audit';
import { actorOf, type Principal } from './principal';

/**
 * Runs a write and its audit record in one transaction: an audited change is never
 * committed without its entry, and a failed write leaves no entry.
 */
export async function auditedWrite<T>(
  ctx: ServerContext,
  principal: Principal,
  entry: Omit<AuditEntry, 'actor'>,
  write: (trx: Kysely<Database>) => Promise<T>,
): Promise<T> {
  const at = ctx.clock();
  return ctx.db.transaction().execute(async (trx) => {
    const result = await write(trx);
    await recordAudit(trx, { ...entry, actor: actorOf(principal) }, at);
    return result;
  });
}
