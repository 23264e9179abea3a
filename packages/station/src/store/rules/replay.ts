import {
  applyChange,
  changeKey,
  copyHallState,
  parseIntent,
  type AnyIntent,
  type Catalogue,
  type Change,
  type ExecuteResult,
  type HallState,
  type LogEntry,
  type Mutation,
} from '@hall/shared';
import { toMutation, type UnreflectedRow } from './unreflected';
import { sameJson } from './sameJson';

/** Executes an intent against a state without touching it; the rules live in the engine behind it. */
export type IntentExecutor = (
  state: HallState,
  intent: AnyIntent,
  catalogue: Catalogue | undefined,
) => ExecuteResult;

/**
 * One of this station's own mutations that the hall's order has overtaken: it succeeded
 * when made, but a peer's earlier mutation (heard later, over the LAN) now wins, so
 * replaying it fails. The station tells the person who made it.
 */
export interface Superseded {
  mutation: Mutation;
  code: string;
  reason: string;
}

/** How the store's rules replay intents: the engine and the catalogue it decides with. */
export interface Replayer {
  executor: IntentExecutor;
  catalogue: Catalogue | undefined;
}

/**
 * live = base + every mutation of the hall the base does not reflect yet (`rows`, in the
 * server's order: see UNREFLECTED_SQL). A row that fails to replay was overtaken by the
 * server's state or an earlier mutation of the hall; the server's answer will settle it.
 * Own pending rows that fail are `failing`; those not failing before (`failingBefore`) are
 * told as superseded, once.
 */
export function replayUnreflected(
  base: HallState,
  rows: readonly UnreflectedRow[],
  replayer: Replayer,
  failingBefore: ReadonlySet<string>,
): { live: HallState; failing: Set<string>; superseded: Superseded[] } {
  const live = copyHallState(base);
  const failing = new Set<string>();
  const superseded: Superseded[] = [];
  for (const raw of rows) {
    if (raw.heard_rejected === 1 && raw.log_seq === null) continue;
    const parsed = parseIntent(raw.type, JSON.parse(raw.payload));
    if (!parsed.ok) continue;
    const result = replayer.executor(live, parsed.intent, replayer.catalogue);
    if (result.ok) for (const change of result.changes) applyChange(live, change);
    else if (raw.own === 1 && raw.status === 'pending') {
      failing.add(raw.id);
      if (!failingBefore.has(raw.id)) superseded.push({ mutation: toMutation(raw), code: result.code, reason: result.reason });
    }
  }
  return { live, failing, superseded };
}

/** Mutations stamped after everything the live state replays, applied on top of a copy of it. */
export function applyOnTop(live: HallState, mutations: readonly Mutation[], replayer: Replayer): HallState {
  const next = copyHallState(live);
  for (const mutation of mutations) {
    const parsed = parseIntent(mutation.type, mutation.payload);
    if (!parsed.ok) continue;
    const result = replayer.executor(next, parsed.intent, replayer.catalogue);
    if (result.ok) for (const change of result.changes) applyChange(next, change);
  }
  return next;
}

/**
 * True when a pull page only confirms the hall's oldest unreflected mutations (this
 * station's or its peers'), in the order the live state replays them, each now fully
 * covered by the cursor, and the server's rows are exactly what replaying those
 * mutations locally on the old base gives. Then new base + the rest = old base + all of
 * it = the live state already shown, and the replay of the rest is skipped: catching up
 * after a long offline spell stays linear. `unreflected(n)`: the first n rows the old
 * base did not reflect.
 */
export function confirmsLiveAsIs(
  entries: readonly LogEntry[],
  cursor: number,
  oldBase: HallState,
  unreflected: (limit: number) => UnreflectedRow[],
  replayer: Replayer,
): boolean {
  if (entries.length === 0 || !replayer.catalogue) return false;
  const ids: string[] = [];
  const last = new Map<string, Change>();
  for (const entry of entries) {
    const origin = entry.origin;
    if (!origin) return false;
    last.set(changeKey(entry.change), entry.change);
    if (ids.at(-1) !== origin.mutationId) ids.push(origin.mutationId);
  }
  const rows = unreflected(ids.length);
  if (rows.length !== ids.length) return false;
  if (!rows.every((r, i) => r.id === ids[i] && r.status === 'applied' && r.log_seq !== null && r.log_seq <= cursor)) return false;
  const scratch = copyHallState(oldBase);
  const replayed = new Map<string, Change>();
  for (const row of rows) {
    const parsed = parseIntent(row.type, JSON.parse(row.payload));
    if (!parsed.ok) return false;
    const result = replayer.executor(scratch, parsed.intent, replayer.catalogue);
    if (!result.ok) return false;
    for (const change of result.changes) {
      applyChange(scratch, change);
      replayed.set(changeKey(change), change);
    }
  }
  if (replayed.size !== last.size) return false;
  for (const [key, change] of last) {
    const mine = replayed.get(key);
    if (!mine || !sameJson(mine.data, change.data)) return false;
  }
  return true;
}

/** The HLC after which a new undecided mutation replays last (see StationStore.liveTip). */
export function replayTip(rows: readonly UnreflectedRow[]): string {
  const last = rows.at(-1);
  return last && last.known_at === null ? last.hlc : '';
}
