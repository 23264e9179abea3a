import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { lockerDb, PARCEL_PHONE, type ParcelState } from '../../lockers/tables';
import { sealContext } from '../../secrets/atRest';
import { BACKENDS } from '../../testing/databases';
import { startTestServer, type TestServer } from '../../testing/server';
import { purgePersonalData } from './purge';

const pgUrl = inject('postgresUrl');
// Built from parts so no whole mobile number sits in the source.
const phoneOf = (n: number) => ['137', '0040', String(5500 + n)].join('');
const DAY = 86_400_000;

describe.each(BACKENDS)('purge of locker parcel phones on %s', (dialect) => {
  let server: TestServer;
  const now = new Date('2026-04-20T02:00:00Z');

  beforeAll(async () => {
    server = await startTestServer(dialect, pgUrl, { clock: () => now, noShowIntervalMs: 0 });
  });
  afterAll(async () => server.dispose());

  const parcel = async (id: string, n: number, status: ParcelState, closedDaysAgo: number | null) => {
    const at = (days: number) => new Date(now.getTime() - days * DAY).toISOString();
    await lockerDb(server.db.database.db)
      .insertInto('locker_parcels')
      .values({
        id,
        hall_id: 't1-hall',
        case_number: `C-${id}`,
        size: 'M',
        phone: server.app.hall.dataKeys.seal(phoneOf(n), sealContext(PARCEL_PHONE, id)),
        masked_name: '周*',
        status,
        station_id: null,
        compartment_id: null,
        flag_reason: null,
        issued_by: 't1-clerk',
        issued_at: at(60),
        deposited_at: at(59),
        closed_at: closedDaysAgo === null ? null : at(closedDaysAgo),
        updated_at: at(closedDaysAgo ?? 59),
      })
      .execute();
  };
  const phones = async () => {
    const rows = await lockerDb(server.db.database.db).selectFrom('locker_parcels').select(['id', 'phone']).orderBy('id').execute();
    return Object.fromEntries(rows.map((r) => [r.id, server.app.hall.dataKeys.open(r.phone, sealContext(PARCEL_PHONE, r.id))]));
  };

  it('forgets the phone of parcels picked up or returned longer ago than the kept days, and only theirs', async () => {
    await parcel('p-picked-old', 1, 'picked_up', 40);
    await parcel('p-returned-old', 2, 'returned', 31);
    await parcel('p-picked-recent', 3, 'picked_up', 10);
    // Still in the locker (or stuck in it): its SMS may yet be needed, however old.
    await parcel('p-deposited', 4, 'deposited', null);
    await parcel('p-flagged', 5, 'flagged', null);

    expect(await purgePersonalData(server.app.hall, 30)).toMatchObject({ parcelPhones: 2 });
    expect(await phones()).toEqual({ 'p-deposited': phoneOf(4), 'p-flagged': phoneOf(5), 'p-picked-old': '', 'p-picked-recent': phoneOf(3), 'p-returned-old': '' });
    // Once forgotten, a later run has nothing left to do.
    expect(await purgePersonalData(server.app.hall, 30)).toMatchObject({ parcelPhones: 0 });
  });
});
