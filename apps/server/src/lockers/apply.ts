import type { Kysely } from 'kysely';
import type { LockerEvent } from '@hall/shared';
import type { Database } from '../db/schema';
import type { DevicePrincipal } from '../http/principal';
import { sealContext } from '../secrets/atRest';
import type { DataKeyring } from '../secrets/keyring';
import { enqueueSms } from '../sms/outbox';
import { alertKindOf, raiseLockerAlert } from './alerts';
import { registerDelegatedParcel } from './delegation';
import { lockerDb, PARCEL_PHONE } from './tables';

export type EventOutcome = { status: 'applied' | 'duplicate' } | { status: 'rejected'; reason: string };

function localTime(at: string): string {
  return new Date(at).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
}

/**
 * Applies one locker event once: the event id is the key, so the station's resends are
 * answered "duplicate". The first deposit of a parcel wins; a parcel is never deposited
 * at two lockers. SMS are queued, and hall alerts raised, in the same transaction as the
 * fact they announce.
 */
export async function applyLockerEvent(trx: Kysely<Database>, keyring: DataKeyring, device: DevicePrincipal, event: LockerEvent, now: Date): Promise<EventOutcome> {
  const db = lockerDb(trx);
  const seen = await db.selectFrom('locker_events').select('id').where('id', '=', event.id).executeTakeFirst();
  if (seen) return { status: 'duplicate' };
  const outcome = await decide(trx, keyring, device, event, now);
  const alert = alertKindOf(event);
  if (alert && outcome.status === 'applied' && 'compartmentId' in event) {
    const parcel = await db.selectFrom('locker_parcels').select('case_number').where('id', '=', event.parcelId).executeTakeFirst();
    await raiseLockerAlert(
      trx,
      { id: event.id, hallId: device.hallId, deviceId: device.id, kind: alert, compartmentId: event.compartmentId, parcelId: event.parcelId, caseNumber: parcel?.case_number ?? null, raisedAt: event.at },
      now,
    );
  }
  await db
    .insertInto('locker_events')
    .values({
      id: event.id,
      device_id: device.id,
      parcel_id: event.parcelId,
      type: event.type,
      // The pickup code travels to the SMS outbox only; the event history never keeps it.
      // Nor the counter's offline code (it carries the sealed mobile number): the parcel row names that counter.
      data_json: JSON.stringify({ ...event, ...(event.type === 'deposited' ? { pickupCode: undefined, delegatedCode: undefined } : {}) }),
      outcome: outcome.status === 'rejected' ? `rejected: ${outcome.reason}` : outcome.status,
      at: event.at,
      received_at: now.toISOString(),
    })
    .execute();
  return outcome;
}

async function decide(trx: Kysely<Database>, keyring: DataKeyring, device: DevicePrincipal, event: LockerEvent, now: Date): Promise<EventOutcome> {
  const db = lockerDb(trx);
  let parcel = await db.selectFrom('locker_parcels').selectAll().where('id', '=', event.parcelId).executeTakeFirst();
  if (event.type === 'deposited' && event.delegatedCode !== undefined) {
    // A counter signed this code while the central API was away: the parcel is learnt from it.
    if (!parcel) {
      const registered = await registerDelegatedParcel(trx, keyring, device, { ...event, delegatedCode: event.delegatedCode }, now);
      if (!registered.ok) return { status: 'rejected', reason: registered.reason };
      parcel = await db.selectFrom('locker_parcels').selectAll().where('id', '=', event.parcelId).executeTakeFirstOrThrow();
    } else if (!parcel.delegation_kid) {
      // A parcel id the central API issued itself is never taken over by a counter's code.
      return { status: 'rejected', reason: 'parcel was issued centrally, not by this code' };
    }
  }
  if (!parcel || parcel.hall_id !== device.hallId) return { status: 'rejected', reason: 'unknown parcel' };
  const iso = now.toISOString();
  const phone = keyring.open(parcel.phone, sealContext(PARCEL_PHONE, parcel.id));
  // The locker's name as the hall set it up ("1楼24小时文件柜"), for the SMS.
  const named = await trx.selectFrom('devices').select('name').where('id', '=', device.id).executeTakeFirst();
  const lockerName = named?.name ?? device.id;
  if (parcel.station_id !== null && parcel.station_id !== device.id) return { status: 'rejected', reason: 'parcel is held by another locker' };
  switch (event.type) {
    case 'deposited': {
      if (parcel.status !== 'issued') return { status: 'rejected', reason: `parcel is ${parcel.status}` };
      await db
        .updateTable('locker_parcels')
        .set({ status: 'deposited', station_id: device.id, compartment_id: event.compartmentId, deposited_at: event.at, updated_at: iso })
        .where('id', '=', parcel.id)
        .execute();
      await enqueueSms(
        trx,
        keyring,
        {
          hallId: parcel.hall_id,
          idempotencyKey: `${parcel.id}:deposited`,
          phone,
          template: 'locker_deposited',
          params: { caseNumber: parcel.case_number, lockerName, compartmentId: event.compartmentId, pickupCode: event.pickupCode },
        },
        now,
      );
      return { status: 'applied' };
    }
    case 'picked_up':
    case 'returned': {
      const status = event.type === 'picked_up' ? 'picked_up' : 'returned';
      await db.updateTable('locker_parcels').set({ status, closed_at: event.at, station_id: device.id, updated_at: iso }).where('id', '=', parcel.id).execute();
      await enqueueSms(
        trx,
        keyring,
        event.type === 'picked_up'
          ? { hallId: parcel.hall_id, idempotencyKey: `${parcel.id}:picked_up`, phone, template: 'locker_picked_up', params: { caseNumber: parcel.case_number, lockerName, at: localTime(event.at) } }
          : { hallId: parcel.hall_id, idempotencyKey: `${parcel.id}:returned`, phone, template: 'locker_returned', params: { caseNumber: parcel.case_number } },
        now,
      );
      return { status: 'applied' };
    }
    case 'flagged': {
      await db
        .updateTable('locker_parcels')
        .set({ status: 'flagged', flag_reason: event.reason, station_id: device.id, compartment_id: event.compartmentId, updated_at: iso })
        .where('id', '=', parcel.id)
        .execute();
      if (event.reason === 'door_jammed') {
        await enqueueSms(trx, keyring, { hallId: parcel.hall_id, idempotencyKey: `${parcel.id}:flagged`, phone, template: 'locker_flagged', params: { caseNumber: parcel.case_number } }, now);
      }
      return { status: 'applied' };
    }
    case 'door_left_open':
      return { status: 'applied' };
  }
}
