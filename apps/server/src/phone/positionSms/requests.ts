import type { Kysely } from 'kysely';
import { localDay, type RequestPositionSmsPayload } from '@hall/shared';
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

/** Deletes the phones of past hall-days (each hall by its own clock); returns how many went. */
export async function forgetPastDayPositionPhones(db: Kysely<Database>, now: Date): Promise<number> {
  const halls = await positionDb(db).selectFrom('position_sms_requests').innerJoin('halls', 'halls.id', 'position_sms_requests.hall_id').select(['halls.id', 'halls.time_zone']).distinct().execute();
  let forgotten = 0;
  for (const hall of halls) {
    const result = await positionDb(db).deleteFrom('position_sms_requests').where('hall_id', '=', hall.id).where('day', '<', localDay(now.getTime(), hall.time_zone)).executeTakeFirst();
    forgotten += Number(result.numDeletedRows);
  }
  return forgotten;
}
