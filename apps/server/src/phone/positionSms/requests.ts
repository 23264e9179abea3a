import type { Kysely } from 'kysely';
import { localDay, zonedInstant, type RequestPositionSmsPayload } from '@hall/shared';
import type { ServerContext } from '../../context';
import { blankSealedPhones } from '../purge/blank';
import type { Database } from '../../db/schema';
import { sealContext } from '../../secrets/atRest';
import type { DataKeyring } from '../../secrets/keyring';

export interface PositionSmsRequestTable {
  ticket_id: string;
  hall_id: string;
  /** The ticket's hall-day: the phone is deleted once it is over. */
  day: string;
  /** Sealed (src/secrets), bound to the ticket. */
  phone: string;
  requested_at: string;
}
export type PositionSmsTables = { position_sms_requests: PositionSmsRequestTable };
export const positionDb = (db: Kysely<Database>) => db.withTables<PositionSmsTables>();

/** The hub topic a push pokes when it recorded a request (the sync topic only follows log changes). */
export const POSITION_SMS_TOPIC = 'position-sms';

export const POSITION_PHONE = { table: 'position_sms_requests', column: 'phone' } as const;

/**
 * Keeps the phone of an applied requestPositionSms, in the push's transaction. Asked twice
 * for one ticket, the later number wins; the SMS itself is still sent once (its outbox key
 * names the ticket).
 */
export async function recordPositionSmsRequest(db: Kysely<Database>, keyring: DataKeyring, hallId: string, day: string, payload: RequestPositionSmsPayload): Promise<void> {
  const phone = keyring.seal(payload.phone, sealContext(POSITION_PHONE, payload.ticketId));
  await positionDb(db)
    .insertInto('position_sms_requests')
    .values({ ticket_id: payload.ticketId, hall_id: hallId, day, phone, requested_at: payload.at })
    .onConflict((oc) => oc.column('ticket_id').doUpdateSet({ phone, requested_at: payload.at }))
    .execute();
}

/**
 * The end of the hall-day (each hall by its own clock): requests of past days go, and so does
 * the number in their SMS once sent or given up (the outbox row stays, its key still stops a
 * second message). Returns how many phones went.
 */
export async function forgetPastDayPositionPhones(ctx: Pick<ServerContext, 'db' | 'dataKeys'>, now: Date): Promise<number> {
  const halls = await ctx.db.selectFrom('halls').select(['id', 'time_zone']).execute();
  let forgotten = 0;
  for (const hall of halls) {
    const today = localDay(now.getTime(), hall.time_zone);
    const result = await positionDb(ctx.db).deleteFrom('position_sms_requests').where('hall_id', '=', hall.id).where('day', '<', today).executeTakeFirst();
    forgotten += Number(result.numDeletedRows);
    forgotten += await blankSealedPhones(ctx, { table: 'sms_outbox', column: 'phone', key: 'id' }, [
      ['template', '=', 'ticket_position'],
      ['hall_id', '=', hall.id],
      ['status', 'in', ['sent', 'failed']],
      ['created_at', '<', new Date(zonedInstant(today, '00:00', hall.time_zone)).toISOString()],
    ]);
  }
  return forgotten;
}
