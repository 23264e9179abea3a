import type { Kysely } from 'kysely';
import type { LockerAlertKind, LockerEvent } from '@hall/shared';
import type { Database } from '../db/schema';
import type { Migration } from '../db/migrations/types';

export type LockerAlertTables = {
  locker_alerts: {
    /** The id of the locker event that raised it: a resent event raises nothing new. */
    id: string;
    hall_id: string;
    device_id: string;
    kind: LockerAlertKind;
    compartment_id: string;
    parcel_id: string;
    case_number: string | null;
    raised_at: string;
    received_at: string;
    acknowledged_at: string | null;
    acknowledged_by: string | null;
  };
};

function alertsDb(db: Kysely<Database>): Kysely<Database & LockerAlertTables> {
  return db.withTables<LockerAlertTables>();
}

/** Hall alerts raised by locker stations (door left open, door that will not open …) until a manager acknowledges them. */
export const lockerAlertTables: Migration = {
  name: '0921_locker_alerts',
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('locker_alerts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('hall_id', 'text', (c) => c.notNull().references('halls.id'))
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('compartment_id', 'text', (c) => c.notNull())
      .addColumn('parcel_id', 'text', (c) => c.notNull())
      .addColumn('case_number', 'text')
      .addColumn('raised_at', 'text', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .addColumn('acknowledged_at', 'text')
      .addColumn('acknowledged_by', 'text')
      .execute();
    await db.schema.createIndex('locker_alerts_hall_open').on('locker_alerts').columns(['hall_id', 'acknowledged_at']).execute();
  },
};

/** The alert an event raises, if any. */
export function alertKindOf(event: LockerEvent): LockerAlertKind | undefined {
  if (event.type === 'door_left_open') return 'door_left_open';
  if (event.type === 'flagged') return event.reason;
  return undefined;
}

export async function raiseLockerAlert(
  trx: Kysely<Database>,
  alert: { id: string; hallId: string; deviceId: string; kind: LockerAlertKind; compartmentId: string; parcelId: string; caseNumber: string | null; raisedAt: string },
  now: Date,
): Promise<void> {
  await alertsDb(trx)
    .insertInto('locker_alerts')
    .values({
      id: alert.id,
      hall_id: alert.hallId,
      device_id: alert.deviceId,
      kind: alert.kind,
      compartment_id: alert.compartmentId,
      parcel_id: alert.parcelId,
      case_number: alert.caseNumber,
      raised_at: alert.raisedAt,
      received_at: now.toISOString(),
      acknowledged_at: null,
      acknowledged_by: null,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

export interface LockerAlertView {
  id: string;
  kind: LockerAlertKind;
  deviceId: string;
  lockerName: string;
  compartmentId: string;
  caseNumber: string | null;
  raisedAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
}

export async function listLockerAlerts(db: Kysely<Database>, hallId: string, options: { open?: boolean; limit?: number } = {}): Promise<LockerAlertView[]> {
  let query = alertsDb(db)
    .selectFrom('locker_alerts as a')
    .leftJoin('devices as d', 'd.id', 'a.device_id')
    .select(['a.id', 'a.kind', 'a.device_id', 'd.name', 'a.compartment_id', 'a.case_number', 'a.raised_at', 'a.acknowledged_at', 'a.acknowledged_by'])
    .where('a.hall_id', '=', hallId)
    .orderBy('a.raised_at', 'desc')
    .orderBy('a.id')
    .limit(options.limit ?? 200);
  if (options.open) query = query.where('a.acknowledged_at', 'is', null);
  return (await query.execute()).map((r) => ({
    id: r.id,
    kind: r.kind,
    deviceId: r.device_id,
    lockerName: r.name ?? r.device_id,
    compartmentId: r.compartment_id,
    caseNumber: r.case_number,
    raisedAt: r.raised_at,
    acknowledgedAt: r.acknowledged_at,
    acknowledgedBy: r.acknowledged_by,
  }));
}

/** Open → acknowledged, once: 'not_found', 'already' or 'acknowledged'. */
export async function acknowledgeLockerAlert(trx: Kysely<Database>, hallId: string, id: string, staffId: string, now: Date): Promise<'not_found' | 'already' | 'acknowledged'> {
  const row = await alertsDb(trx).selectFrom('locker_alerts').select(['hall_id', 'acknowledged_at']).where('id', '=', id).executeTakeFirst();
  if (!row || row.hall_id !== hallId) return 'not_found';
  if (row.acknowledged_at !== null) return 'already';
  const updated = await alertsDb(trx)
    .updateTable('locker_alerts')
    .set({ acknowledged_at: now.toISOString(), acknowledged_by: staffId })
    .where('id', '=', id)
    .where('acknowledged_at', 'is', null)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1 ? 'acknowledged' : 'already';
}
