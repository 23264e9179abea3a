import type { Kysely } from 'kysely';
import type { ServerContext } from '../context';
import type { Database } from '../db/schema';
import { CONFIG_ENTITIES } from '../admin/version';
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
  const result = await ctx.db.transaction().execute(async (trx) => {
    const written = await write(trx);
    await recordAudit(trx, { ...entry, actor: actorOf(principal) }, at);
    return written;
  });
  // After commit: every instance drops its cached catalogue of the hall and the hall's
  // stations fetch the new one now instead of at their next poll.
  if (entry.hallId && (CONFIG_ENTITIES as readonly string[]).includes(entry.entity)) ctx.hub.poke(entry.hallId, 'catalogue', at);
  return result;
}
