import type { Kysely } from 'kysely';
import type { CounterState, Hall } from '@hall/shared';
import type { Database } from '../db/schema';
import { listLockerAlerts } from '../lockers/alerts';
import { listCounters, listQueues } from '../store/layout';
import { listReportedOutages } from '../sync/linkReport';
import { syncDb } from '../sync/tables';
import { localDayOf } from '../stats/workingDays';
import { utcOffsetMinutes } from '../stats/scope';

/** A station not heard from (any authenticated call) for this long is shown offline. */
export const OFFLINE_AFTER_MS = 5 * 60_000;
/** Outage periods stations reported that ended within this window are shown. */
export const OUTAGE_WINDOW_MS = 24 * 3600_000;
/** A queue whose first citizen waits longer than this raises an alert. */
export const LONG_WAIT_MS = 30 * 60_000;

export interface LiveCounter {
  id: string;
  number: string;
  name: string;
  kind: string;
  state: CounterState;
  /** Staff number of the clerk on the latest ticket handled here today, when known. */
  clerk: string | null;
}
export interface LiveQueue {
  id: string;
  prefix: string;
  name: string;
  waiting: number;
  longestWaitSeconds: number | null;
}
export interface LiveDevice {
  id: string;
  name: string;
  role: string;
  status: 'pending' | 'online' | 'offline' | 'revoked';
  enrolledAt: string | null;
  /** Latest authenticated contact: a pull, push, catalogue fetch, poke socket, locker call. */
  lastSyncAt: string | null;
  /** Counter devices: the counter they may act for (null: not bound yet, their calls are refused). */
  counterId?: string | null;
  /** Server clock minus the station's, as the station last reported it (null: not measured); the console flags |offset| > 1 min. */
  clockOffsetMs: number | null;
  clockOffsetAt: string | null;
}
/** A spell a station worked without the central API (reported when its link returned). */
export interface LiveOutage {
  deviceId: string;
  deviceName: string;
  from: string;
  to: string;
  mode: 'mesh' | 'alone';
  maxPeers: number;
  localMutations: number;
}
/** The hall's latest outage: the reported periods that overlap, taken together. */
export interface LiveHallOutage {
  from: string;
  to: string;
  /** Stations that reported a period in it. */
  stations: number;
  /** Most peers any of them worked with. */
  maxPeers: number;
  localMutations: number;
}
export interface LiveAlert {
  kind: 'device_offline' | 'long_wait' | 'counter_paused' | 'locker';
  subject: string;
  detail: string;
  /** Locker alerts only: stays until a manager acknowledges it (POST /lockers/alerts/:id/acknowledge). */
  id?: string;
  at?: string;
}
export interface LiveHall {
  hallId: string;
  today: string;
  at: string;
  counters: LiveCounter[];
  queues: LiveQueue[];
  devices: LiveDevice[];
  alerts: LiveAlert[];
  /** Reported outage periods that ended in the last 24 h, newest first. */
  outages: LiveOutage[];
  lastHallOutage: LiveHallOutage | null;
}

export async function listDeviceHealth(db: Kysely<Database>, hallId: string, now: Date): Promise<LiveDevice[]> {
  const rows = await syncDb(db)
    .selectFrom('devices as d')
    .leftJoin(
      (eb) => eb.selectFrom('sync_device_progress').select((s) => ['device_id', s.fn.max('updated_at').as('last_sync')]).groupBy('device_id').as('p'),
      (join) => join.onRef('p.device_id', '=', 'd.id'),
    )
    .select(['d.id', 'd.name', 'd.role', 'd.enrolled_at', 'd.revoked_at', 'd.last_seen_at', 'd.counter_id', 'd.clock_offset_ms', 'd.clock_offset_at', 'p.last_sync'])
    .where('d.hall_id', '=', hallId)
    .orderBy('d.role')
    .orderBy('d.id')
    .execute();
  return rows.map((r) => {
    const lastSyncAt = [r.last_sync, r.last_seen_at].filter((x): x is string => typeof x === 'string').sort().at(-1) ?? null;
    const status: LiveDevice['status'] = r.revoked_at
      ? 'revoked'
      : !r.enrolled_at
        ? 'pending'
        : lastSyncAt && now.getTime() - Date.parse(lastSyncAt) < OFFLINE_AFTER_MS
          ? 'online'
          : 'offline';
    return { id: r.id, name: r.name, role: r.role, status, enrolledAt: r.enrolled_at, lastSyncAt, clockOffsetMs: r.clock_offset_ms === null ? null : Number(r.clock_offset_ms), clockOffsetAt: r.clock_offset_at, ...(r.role === 'counter' ? { counterId: r.counter_id ?? null } : {}) };
  });
}

/** Outage periods the hall's stations reported that ended in the last 24 h, named. */
export async function listHallOutages(db: Kysely<Database>, hallId: string, now: Date, devices: readonly LiveDevice[]): Promise<LiveOutage[]> {
  const names = new Map(devices.map((d) => [d.id, d.name]));
  const reported = await listReportedOutages(db, hallId, new Date(now.getTime() - OUTAGE_WINDOW_MS));
  return reported.map((o) => ({ ...o, deviceName: names.get(o.deviceId) ?? o.deviceId }));
}

/** The newest group of overlapping periods: one outage of the central API as the hall lived it. */
export function latestHallOutage(outages: readonly LiveOutage[]): LiveHallOutage | null {
  const sorted = [...outages].sort((a, b) => (a.to < b.to ? 1 : a.to > b.to ? -1 : 0));
  const first = sorted[0];
  if (!first) return null;
  let from = first.from;
  const group = [first];
  // Walk back through periods ending after the group's start: they overlap it.
  for (const o of sorted.slice(1)) {
    if (o.to < from) continue;
    group.push(o);
    if (o.from < from) from = o.from;
  }
  return {
    from,
    to: first.to,
    stations: new Set(group.map((o) => o.deviceId)).size,
    maxPeers: Math.max(...group.map((o) => o.maxPeers)),
    localMutations: group.reduce((n, o) => n + o.localMutations, 0),
  };
}

/** Everything the live hall page shows, from one hall's tables; waiting counts are aggregated in SQL. */
export async function liveHall(db: Kysely<Database>, hall: Hall, now: Date): Promise<LiveHall> {
  const today = localDayOf(now.toISOString(), utcOffsetMinutes(hall.timeZone, now));
  const [counters, queues, waiting, clerks, devices] = await Promise.all([
    listCounters(db, hall.id),
    listQueues(db, hall.id),
    db
      .selectFrom('tickets')
      .select((eb) => ['queue_id', eb.fn.countAll<number | string>().as('waiting'), eb.fn.min('queued_at').as('oldest')])
      .where('hall_id', '=', hall.id)
      .where('day', '=', today)
      .where('status', '=', 'waiting')
      .groupBy('queue_id')
      .execute(),
    db
      .withTables<{ tickets: { staff_id: string | null } }>()
      .selectFrom('tickets as t')
      .innerJoin('staff as s', 's.id', 't.staff_id')
      .select(['t.counter_id', 's.staff_number', 't.called_at'])
      .where('t.hall_id', '=', hall.id)
      .where('t.day', '=', today)
      .where('t.called_at', 'is not', null)
      .orderBy('t.called_at', 'desc')
      .limit(500)
      .execute(),
    listDeviceHealth(db, hall.id, now),
  ]);
  const outages = await listHallOutages(db, hall.id, now, devices);
  const lockerAlerts = await listLockerAlerts(db, hall.id, { open: true });
  const clerkAt = new Map<string, string>();
  for (const c of clerks) if (c.counter_id && !clerkAt.has(c.counter_id)) clerkAt.set(c.counter_id, c.staff_number);
  const byQueue = new Map(waiting.map((w) => [w.queue_id, w]));
  const liveQueues: LiveQueue[] = queues.map((q) => {
    const w = byQueue.get(q.id);
    const oldest = w?.oldest ? Date.parse(String(w.oldest)) : null;
    return {
      id: q.id,
      prefix: q.prefix,
      name: q.name.zh,
      waiting: Number(w?.waiting ?? 0),
      longestWaitSeconds: oldest === null ? null : Math.max(0, Math.round((now.getTime() - oldest) / 1000)),
    };
  });
  const liveCounters: LiveCounter[] = counters.map((c) => ({
    id: c.id,
    number: c.number,
    name: c.name.zh,
    kind: c.kind,
    state: c.state,
    clerk: clerkAt.get(c.id) ?? null,
  }));
  const alerts: LiveAlert[] = [
    ...devices.filter((d) => d.status === 'offline').map((d) => ({ kind: 'device_offline' as const, subject: d.name, detail: d.lastSyncAt ?? 'never' })),
    ...liveQueues
      .filter((q) => (q.longestWaitSeconds ?? 0) * 1000 > LONG_WAIT_MS)
      .map((q) => ({ kind: 'long_wait' as const, subject: q.name, detail: String(Math.round((q.longestWaitSeconds ?? 0) / 60)) })),
    ...liveCounters
      .filter((c) => c.state.status === 'paused')
      .map((c) => ({ kind: 'counter_paused' as const, subject: c.name, detail: c.state.status === 'paused' ? c.state.reason : '' })),
    ...lockerAlerts.map((a) => ({ kind: 'locker' as const, subject: `${a.lockerName} ${a.compartmentId}`, detail: a.kind, id: a.id, at: a.raisedAt })),
  ];
  return { hallId: hall.id, today, at: now.toISOString(), counters: liveCounters, queues: liveQueues, devices, alerts, outages, lastHallOutage: latestHallOutage(outages) };
}
