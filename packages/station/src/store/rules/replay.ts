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

/** One unreflected mutation's effects as the live state applied them (none if it failed or was skipped). */
export interface Derived {
  id: string;
  changes: readonly Change[];
}

/**
 * How the live state was built: live = base + each row's changes, in this order. Kept by
 * the store beside the live state so a pull page that only confirms the oldest rows can be
 * checked against what live already holds, without replaying them again.
 */
export type Derivation = Derived[];

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
): { live: HallState; failing: Set<string>; superseded: Superseded[]; derivation: Derivation } {
  const live = copyHallState(base);
  const failing = new Set<string>();
  const superseded: Superseded[] = [];
  const derivation: Derivation = [];
  for (const raw of rows) derivation.push({ id: raw.id, changes: replayRow(live, raw, replayer) ?? [] });
  return { live, failing, superseded, derivation };

  function replayRow(state: HallState, raw: UnreflectedRow, { executor, catalogue }: Replayer): readonly Change[] | undefined {
    if (raw.heard_rejected === 1 && raw.log_seq === null) return undefined;
    const parsed = parseIntent(raw.type, JSON.parse(raw.payload));
    if (!parsed.ok) return undefined;
    const result = executor(state, parsed.intent, catalogue);
    if (result.ok) {
      for (const change of result.changes) applyChange(state, change);
      return result.changes;
    }
    if (raw.own === 1 && raw.status === 'pending') {
      failing.add(raw.id);
      if (!failingBefore.has(raw.id)) superseded.push({ mutation: toMutation(raw), code: result.code, reason: result.reason });
    }
    return undefined;
  }
}

/** Mutations stamped after everything the live state replays, applied on top of a copy of it; `derived`: what each added. */
export function applyOnTop(live: HallState, mutations: readonly Mutation[], replayer: Replayer): { live: HallState; derived: Derivation } {
  const next = copyHallState(live);
  const derived: Derivation = [];
  for (const mutation of mutations) {
    const parsed = parseIntent(mutation.type, mutation.payload);
    const result = parsed.ok ? replayer.executor(next, parsed.intent, replayer.catalogue) : undefined;
    if (result?.ok) for (const change of result.changes) applyChange(next, change);
    derived.push({ id: mutation.id, changes: result?.ok ? result.changes : [] });
  }
  return { live: next, derived };
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
  if (!replayer.catalogue) return false;
  const page = pageMutations(entries);
  if (!page) return false;
  const rows = firstUnreflectedAre(page.ids, cursor, unreflected);
  if (!rows) return false;
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
  return sameChanges(replayed, page.last);
}

/**
 * confirmsLiveAsIs without replaying: the page's mutations are the first rows of the live
 * state's derivation, and the server's rows are exactly the changes live applied for them.
 * Then new base + the rest of the derivation = the live state already shown, and that rest
 * is the new derivation. 'unknown' when the derivation does not start with the page's
 * mutations (or is not known): the caller replays them instead.
 */
export function confirmsByDerivation(
  entries: readonly LogEntry[],
  cursor: number,
  derivation: Derivation | undefined,
  unreflected: (limit: number) => UnreflectedRow[],
): { kind: 'confirmed'; confirmedRows: number } | { kind: 'differs' } | { kind: 'unknown' } {
  const page = pageMutations(entries);
  if (!page) return { kind: 'differs' };
  const { ids, last } = page;
  if (!derivation || derivation.length < ids.length || ids.some((id, i) => derivation[i]!.id !== id)) return { kind: 'unknown' };
  if (!firstUnreflectedAre(ids, cursor, unreflected)) return { kind: 'differs' };
  const applied = new Map<string, Change>();
  for (let i = 0; i < ids.length; i++) for (const change of derivation[i]!.changes) applied.set(changeKey(change), change);
  return sameChanges(applied, last) ? { kind: 'confirmed', confirmedRows: ids.length } : { kind: 'differs' };
}

/** The page's mutations in order and each entity's last row in it; undefined if empty or an entry names no mutation. */
function pageMutations(entries: readonly LogEntry[]): { ids: string[]; last: Map<string, Change> } | undefined {
  if (entries.length === 0) return undefined;
  const ids: string[] = [];
  const last = new Map<string, Change>();
  for (const entry of entries) {
    const origin = entry.origin;
    if (!origin) return undefined;
    last.set(changeKey(entry.change), entry.change);
    if (ids.at(-1) !== origin.mutationId) ids.push(origin.mutationId);
  }
  return { ids, last };
}

/** The first rows the old base did not reflect are exactly these mutations, each applied at or below the cursor. */
function firstUnreflectedAre(ids: readonly string[], cursor: number, unreflected: (limit: number) => UnreflectedRow[]): UnreflectedRow[] | undefined {
  const rows = unreflected(ids.length);
  if (rows.length !== ids.length) return undefined;
  return rows.every((r, i) => r.id === ids[i] && r.status === 'applied' && r.log_seq !== null && r.log_seq <= cursor) ? rows : undefined;
}

function sameChanges(mine: ReadonlyMap<string, Change>, theirs: ReadonlyMap<string, Change>): boolean {
  if (mine.size !== theirs.size) return false;
  for (const [key, change] of theirs) {
    const own = mine.get(key);
    if (!own || !sameJson(own.data, change.data)) return false;
  }
  return true;
}

/** The HLC after which a new undecided mutation replays last (see StationStore.liveTip). */
export function replayTip(rows: readonly UnreflectedRow[]): string {
  const last = rows.at(-1);
  return last && last.known_at === null ? last.hlc : '';
}
