import type { Kysely } from 'kysely';
import type { OutagePeriod } from '@hall/shared';
import type { Database } from '../db/schema';
import type { Migration } from '../db/migrations/types';

/** One outage period a station reported (HALL-MESH.md): it worked without the central API from `from_at` to `to_at`. */
export interface SyncLinkPeriodTable {
  device_id: string;
  from_at: string;
  to_at: string;
  hall_id: string;
  mode: 'mesh' | 'alone';
  max_peers: number | string;
  local_mutations: number | string;
  received_at: string;
}

export type LinkReportTables = { sync_link_periods: SyncLinkPeriodTable };

function linkDb(db: Kysely<Database>): Kysely<Database & LinkReportTables> {
  return db.withTables<LinkReportTables>();
}

/** Outage periods stations lived through, for the console's live hall page. */
export const syncLinkPeriodTables: Migration = {
  name: '0930_sync_link_periods',
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('sync_link_periods')
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addColumn('from_at', 'text', (c) => c.notNull())
      .addColumn('to_at', 'text', (c) => c.notNull())
      .addColumn('hall_id', 'text', (c) => c.notNull().references('halls.id'))
      .addColumn('mode', 'text', (c) => c.notNull())
      .addColumn('max_peers', 'integer', (c) => c.notNull())
      .addColumn('local_mutations', 'integer', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('sync_link_periods_pk', ['device_id', 'from_at'])
      .execute();
    await db.schema.createIndex('sync_link_periods_hall_to').on('sync_link_periods').columns(['hall_id', 'to_at']).execute();
  },
};

/** Stores a station's outage periods; idempotent by (device, from): a period reported again replaces itself. */
export async function recordLinkReport(db: Kysely<Database>, device: { id: string; hallId: string }, periods: readonly OutagePeriod[], now: Date): Promise<number> {
  const receivedAt = now.toISOString();
  // ISO instants with a zone sort as text only in one form: store them as the server writes them.
  const canonical = (iso: string) => new Date(iso).toISOString();
  await db.transaction().execute(async (trx) => {
    for (const p of periods) {
      const row = {
        device_id: device.id,
        from_at: canonical(p.from),
        to_at: canonical(p.to),
        hall_id: device.hallId,
        mode: p.mode,
        max_peers: p.maxPeers,
        local_mutations: p.localMutations,
        received_at: receivedAt,
      };
      await linkDb(trx)
        .insertInto('sync_link_periods')
        .values(row)
        .onConflict((oc) =>
          oc.columns(['device_id', 'from_at']).doUpdateSet({ to_at: row.to_at, mode: row.mode, max_peers: row.max_peers, local_mutations: row.local_mutations, received_at: receivedAt }),
        )
        .execute();
    }
  });
  return periods.length;
}

export interface ReportedOutage {
  deviceId: string;
  from: string;
  to: string;
  mode: 'mesh' | 'alone';
  maxPeers: number;
  localMutations: number;
}

/** A hall's reported outage periods that ended after `since`, newest first. */
export async function listReportedOutages(db: Kysely<Database>, hallId: string, since: Date, limit = 200): Promise<ReportedOutage[]> {
  const rows = await linkDb(db)
    .selectFrom('sync_link_periods')
    .select(['device_id', 'from_at', 'to_at', 'mode', 'max_peers', 'local_mutations'])
    .where('hall_id', '=', hallId)
    .where('to_at', '>=', since.toISOString())
    .orderBy('to_at', 'desc')
    .orderBy('device_id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    deviceId: r.device_id,
    from: r.from_at,
    to: r.to_at,
    mode: r.mode === 'mesh' ? 'mesh' : 'alone',
    maxPeers: Number(r.max_peers),
    localMutations: Number(r.local_mutations),
  }));
}
