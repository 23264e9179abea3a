import type { Kysely } from 'kysely';
import type { ServerContext } from '../context';
import type { Migration } from '../db/migrations/types';
import type { SyncDb } from './tables';

/**
 * Station clocks and the central API's (README "Security/operations", clock skew).
 *
 * Stations stamp their mutations with their own clock. The server bounds those stamps both
 * ways and, for tickets pushed while online, puts its own clock in the queue:
 *
 * * Future: at most MAX_CLOCK_SKEW_MS ahead of the server (a time far ahead would put
 *   tickets on the wrong day and first in every queue for ever).
 * * Past: "now minus a few minutes" cannot be the bound, since a hall works offline for
 *   hours or days and pushes that work when the link returns. A mutation is refused when it
 *   is older than MAX_OFFLINE_AGE_MS (7 days, the longest outage the hall supports: the
 *   lease and form-retention horizons are shorter) or older than its device's registration
 *   less MAX_CLOCK_SKEW_MS, by its time corrected with the device's measured offset (a
 *   station cannot act before the console created it). Not
 *   "before the device's last accepted mutation": a station whose clock gets corrected
 *   backwards would then lose honest work, and the HLC already keeps causal order.
 * * Queue time (FIFO): an issueTicket whose time, corrected by the device's measured offset,
 *   is within ONLINE_PUSH_WINDOW_MS of the server's clock was pushed online; its queue time
 *   is that corrected time, never later than the server received it nor earlier than the
 *   window. A kiosk 5 minutes fast then queues its citizens where they really stand. Older
 *   ones were made offline and keep the time the hall ordered them by (the executor's
 *   `at`): the hall already showed that order, and calls are pinned to ticket ids, so the
 *   server's stamp never reverses a call the hall made.
 */
export const MAX_CLOCK_SKEW_MS = 15 * 60_000;
export const MAX_OFFLINE_AGE_MS = 7 * 24 * 3600_000;
export const ONLINE_PUSH_WINDOW_MS = 60_000;
/** A reported offset beyond this is a broken header, not a clock (ten years). */
const MAX_REPORTED_OFFSET_MS = 10 * 365 * 24 * 3600_000;
/** The device row is rewritten when the offset moved this much, or this long after the last write. */
const OFFSET_WRITE_DELTA_MS = 1_000;
const OFFSET_WRITE_INTERVAL_MS = 60_000;

/** Where each device's measured offset lives; the console's devices page flags those over a minute. */
export const deviceClockOffsetColumns: Migration = {
  name: '0960_device_clock_offset',
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('devices').addColumn('clock_offset_ms', 'integer').execute();
    await db.schema.alterTable('devices').addColumn('clock_offset_at', 'text').execute();
  },
};

/** What the server knows of a device's clock: its registration and its latest measured offset. */
export interface DeviceClock {
  createdAtMs: number;
  /** Server clock minus device clock; 0 when never measured. */
  offsetMs: number;
}

export type TimeVerdict = { ok: false; code: 'clock_skew'; reason: string } | undefined;

/** Refuses a mutation time the station's clock cannot honestly have produced (see above). */
export function checkMutationTime(at: string, nowMs: number, clock: DeviceClock | undefined): TimeVerdict {
  const atMs = Date.parse(at);
  if (atMs > nowMs + MAX_CLOCK_SKEW_MS) {
    return { ok: false, code: 'clock_skew', reason: `mutation time ${at} is more than 15 minutes ahead of the server` };
  }
  if (atMs < nowMs - MAX_OFFLINE_AGE_MS) {
    return { ok: false, code: 'clock_skew', reason: `mutation time ${at} is more than 7 days before the server's clock (the longest offline period supported)` };
  }
  // By the server's clock: a station measured hours slow (and flagged for it) still did its work after registration.
  if (clock && atMs + clock.offsetMs < clock.createdAtMs - MAX_CLOCK_SKEW_MS) {
    return { ok: false, code: 'clock_skew', reason: `mutation time ${at} is before its device was registered (${new Date(clock.createdAtMs).toISOString()}), more than 15 minutes of clock skew` };
  }
  return undefined;
}

/** The queue time of a ticket pushed online (server clock), or undefined for offline work (keeps the hall's). */
export function onlineQueueStamp(at: string, nowMs: number, clock: DeviceClock | undefined): string | undefined {
  const corrected = Date.parse(at) + (clock?.offsetMs ?? 0);
  if (nowMs - corrected > ONLINE_PUSH_WINDOW_MS) return undefined;
  return new Date(Math.min(nowMs, Math.max(corrected, nowMs - ONLINE_PUSH_WINDOW_MS))).toISOString();
}

/** Registration and offset of the devices a batch carries mutations of, in one query. */
export async function loadDeviceClocks(trx: SyncDb, deviceIds: readonly string[]): Promise<Map<string, DeviceClock>> {
  const clocks = new Map<string, DeviceClock>();
  if (deviceIds.length === 0) return clocks;
  const rows = await trx.selectFrom('devices').select(['id', 'created_at', 'clock_offset_ms']).where('id', 'in', [...new Set(deviceIds)]).execute();
  for (const row of rows) clocks.set(row.id, { createdAtMs: Date.parse(row.created_at), offsetMs: Number(row.clock_offset_ms ?? 0) });
  return clocks;
}

/** The offset a station reported in its request header, if it is a plausible one. */
export function reportedOffset(header: string | string[] | undefined): number | undefined {
  if (typeof header !== 'string' || !/^-?\d{1,15}$/.test(header.trim())) return undefined;
  const value = Number(header.trim());
  return Math.abs(value) <= MAX_REPORTED_OFFSET_MS ? value : undefined;
}

/** Per server, the last offset written for each device: most sync calls need no write. */
const written = new WeakMap<ServerContext, Map<string, { offsetMs: number; atMs: number }>>();

/** Stores a device's reported offset on its row (rewritten only when it moved or went stale). */
export async function recordClockOffset(ctx: ServerContext, deviceId: string, offsetMs: number): Promise<void> {
  const now = ctx.clock();
  let last = written.get(ctx);
  if (!last) written.set(ctx, (last = new Map()));
  const previous = last.get(deviceId);
  if (previous && Math.abs(previous.offsetMs - offsetMs) < OFFSET_WRITE_DELTA_MS && now.getTime() - previous.atMs < OFFSET_WRITE_INTERVAL_MS && now.getTime() >= previous.atMs) return;
  last.set(deviceId, { offsetMs, atMs: now.getTime() });
  await ctx.db.updateTable('devices').set({ clock_offset_ms: offsetMs, clock_offset_at: now.toISOString() }).where('id', '=', deviceId).execute();
}
