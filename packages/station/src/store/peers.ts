import type Database from 'better-sqlite3';
import type { DeviceWatermark, Mutation, MutationResult } from '@hall/shared';
import type { MeshDecision, MeshSeqRange } from '../mesh/types';
import type { MeshVectorEntry } from '../mesh/rules/vector';
import { toMutation, type StoredMutationRow, type UnreflectedRow } from './rules/unreflected';

/** A mutation's position in the server's order: its own answer, else what a peer heard (a heard rejection has no effects, so 0). */
const KNOWN_AT_EXPRESSION = `CASE WHEN heard_rejected = 1 AND log_seq IS NULL THEN 0 ELSE COALESCE(log_seq, heard_log_seq) END`;
const KNOWN_AT = `${KNOWN_AT_EXPRESSION} AS known_at, ${KNOWN_AT_EXPRESSION} IS NULL AS undecided`;
/** A pending row a peer heard applied at or below the cursor is in the base already. */
const UNREFLECTED_WHERE = `(status = 'pending' AND NOT COALESCE(heard_log_seq BETWEEN 1 AND @cursor, 0)) OR (status = 'applied' AND log_seq > @cursor)`;

/**
 * Own and peer rows the base at the cursor does not reflect, in the server's order: the
 * ones known decided by their log position (the server already put them there), then the
 * undecided ones in HLC order (the order the server will take them in).
 */
const UNREFLECTED_SQL = `
  SELECT 1 AS own, id, @deviceId AS device_id, epoch, seq, type, payload, hlc, status, log_seq, ${KNOWN_AT}, heard_rejected, created_at AS received_at
    FROM outbox WHERE ${UNREFLECTED_WHERE}
  UNION ALL
  SELECT 0 AS own, id, device_id, epoch, seq, type, payload, hlc, status, log_seq, ${KNOWN_AT}, heard_rejected, received_at
    FROM peer_mutations WHERE ${UNREFLECTED_WHERE}
  ORDER BY undecided, known_at, hlc
  LIMIT @limit`;

/** Own and peer rows the server has not answered this station for, in HLC order (what to push). */
const PENDING_SQL = `
  SELECT 1 AS own, id, @deviceId AS device_id, epoch, seq, type, payload, hlc, status, log_seq, NULL AS known_at, 1 AS undecided, heard_rejected, created_at AS received_at
    FROM outbox WHERE status = 'pending'
  UNION ALL
  SELECT 0 AS own, id, device_id, epoch, seq, type, payload, hlc, status, log_seq, NULL AS known_at, 1 AS undecided, heard_rejected, received_at
    FROM peer_mutations WHERE status = 'pending'
  ORDER BY hlc
  LIMIT @limit`;

/** Per device and epoch, the span of held seqs (made or heard before @before) nobody here has heard the server decide. */
const UNDECIDED_RANGES_SQL = `
  SELECT device_id AS deviceId, epoch, MIN(seq) AS low, MAX(seq) AS high FROM (
    SELECT @deviceId AS device_id, epoch, seq FROM outbox
     WHERE status = 'pending' AND heard_log_seq IS NULL AND heard_rejected = 0 AND created_at <= @before
    UNION ALL
    SELECT device_id, epoch, seq FROM peer_mutations
     WHERE status = 'pending' AND heard_log_seq IS NULL AND heard_rejected = 0 AND received_at <= @before
  ) GROUP BY device_id, epoch ORDER BY device_id, epoch LIMIT @limit`;

/**
 * Per device and epoch, the top of the first gap-free run of held seqs. Seqs the server has
 * decided (up to the watermark a pull page brought) count as held: `insert` refuses them, so
 * one that was never heard before the watermark covered it would otherwise leave a gap for
 * good, the vector would stay below it, and every peer would answer every advert by sending
 * everything after it again. The run starts right above the watermark (at seq 1 without one):
 * a station that heard a device's later mutations but not its first ones (a partition, a
 * late start) must not claim those, or no peer would ever send them. (Pruned rows are
 * decided ones, and pruning keeps their top as the device's watermark.)
 */
const VECTOR_SQL = `
  WITH above AS (
    SELECT p.device_id, p.epoch, p.seq, COALESCE(w.seq, 0) AS mark
      FROM peer_mutations p LEFT JOIN device_watermarks w ON w.device_id = p.device_id AND w.epoch = p.epoch
     WHERE p.seq > COALESCE(w.seq, 0)
  ), runs AS (
    SELECT device_id, epoch, seq, mark, seq - ROW_NUMBER() OVER (PARTITION BY device_id, epoch ORDER BY seq) AS run
      FROM above
  ), first_run AS (
    SELECT device_id, epoch, MIN(run) AS run, MIN(seq) AS first, MAX(mark) AS mark FROM runs GROUP BY device_id, epoch
  )
  SELECT runs.device_id AS deviceId, runs.epoch AS epoch,
         CASE WHEN first_run.first = first_run.mark + 1 THEN MAX(runs.seq) ELSE first_run.mark END AS seq
    FROM runs JOIN first_run ON runs.device_id = first_run.device_id AND runs.epoch = first_run.epoch AND runs.run = first_run.run
   GROUP BY runs.device_id, runs.epoch
  UNION ALL
  SELECT w.device_id AS deviceId, w.epoch AS epoch, w.seq AS seq
    FROM device_watermarks w
   WHERE NOT EXISTS (SELECT 1 FROM above a WHERE a.device_id = w.device_id AND a.epoch = w.epoch)`;

/**
 * The hall peers' mutations a station holds, and what the server said of them. Callers
 * hold the store's transaction; nothing here touches the in-memory states.
 */
export class PeerMutations {
  private readonly stmts;

  constructor(
    private readonly db: Database.Database,
    private readonly deviceId: string,
  ) {
    this.stmts = {
      insert: db.prepare(
        `INSERT OR IGNORE INTO peer_mutations (id, device_id, epoch, seq, type, payload, hlc, received_at)
         VALUES (@id, @deviceId, @epoch, @seq, @type, @payload, @hlc, @receivedAt)`,
      ),
      unreflected: db.prepare<{ deviceId: string; cursor: number; limit: number }, UnreflectedRow>(UNREFLECTED_SQL),
      pending: db.prepare<{ deviceId: string; limit: number }, UnreflectedRow>(PENDING_SQL),
      undecidedRanges: db.prepare<{ deviceId: string; limit: number; before: string }, MeshSeqRange>(UNDECIDED_RANGES_SQL),
      ownDecided: db.prepare<[string, number, number, number], { id: string; status: string; log_seq: number | null }>(
        `SELECT id, status, log_seq FROM outbox WHERE epoch = ? AND seq BETWEEN ? AND ? AND status <> 'pending' ORDER BY seq LIMIT ?`,
      ),
      peerDecided: db.prepare<[string, string, number, number, number], { id: string; status: string; log_seq: number | null }>(
        `SELECT id, status, log_seq FROM peer_mutations WHERE device_id = ? AND epoch = ? AND seq BETWEEN ? AND ? AND status IN ('applied', 'rejected') ORDER BY seq LIMIT ?`,
      ),
      hearApplied: db.prepare<[number, string]>(
        `UPDATE peer_mutations SET heard_log_seq = ? WHERE id = ? AND status = 'pending' AND heard_log_seq IS NULL AND heard_rejected = 0`,
      ),
      hearRejected: db.prepare<[string]>(
        `UPDATE peer_mutations SET heard_rejected = 1 WHERE id = ? AND status = 'pending' AND heard_log_seq IS NULL AND heard_rejected = 0`,
      ),
      hearOwnApplied: db.prepare<[number, string]>(
        `UPDATE outbox SET heard_log_seq = ? WHERE id = ? AND status = 'pending' AND heard_log_seq IS NULL AND heard_rejected = 0`,
      ),
      hearOwnRejected: db.prepare<[string]>(
        `UPDATE outbox SET heard_rejected = 1 WHERE id = ? AND status = 'pending' AND heard_log_seq IS NULL AND heard_rejected = 0`,
      ),
      vector: db.prepare<[], MeshVectorEntry>(VECTOR_SQL),
      after: db.prepare<[string, string, number, number], StoredMutationRow>(
        'SELECT id, device_id, epoch, seq, type, payload, hlc FROM peer_mutations WHERE device_id = ? AND epoch = ? AND seq > ? ORDER BY seq LIMIT ?',
      ),
      applied: db.prepare<[number, string]>(
        `UPDATE peer_mutations SET status = 'applied', log_seq = MAX(COALESCE(log_seq, 0), ?) WHERE id = ? AND status IN ('pending', 'applied')`,
      ),
      rejected: db.prepare<[string, string, string]>(
        `UPDATE peer_mutations SET status = 'rejected', code = ?, reason = ? WHERE id = ? AND status = 'pending'`,
      ),
      settle: db.prepare<[string, string, number]>(
        `UPDATE peer_mutations SET status = 'settled' WHERE device_id = ? AND epoch = ? AND seq <= ? AND status = 'pending'`,
      ),
      watermark: db.prepare<[string, string], { seq: number }>('SELECT seq FROM device_watermarks WHERE device_id = ? AND epoch = ?'),
      watermarks: db.prepare<[], DeviceWatermark>('SELECT device_id AS deviceId, epoch, seq FROM device_watermarks'),
      setWatermark: db.prepare<[string, string, number]>(
        `INSERT INTO device_watermarks (device_id, epoch, seq) VALUES (?, ?, ?)
         ON CONFLICT (device_id, epoch) DO UPDATE SET seq = MAX(seq, excluded.seq)`,
      ),
      decided: db.prepare<[string, string, number], { n: number }>(
        `SELECT COUNT(*) AS n FROM peer_mutations WHERE device_id = ? AND epoch = ? AND seq = ? AND status <> 'pending'`,
      ),
      // Form values are personal data: once the server has decided, a peer's copy keeps only the case fields.
      scrub: db.prepare(
        `UPDATE peer_mutations SET payload = json_set(payload, '$.values', json('{}'))
          WHERE status <> 'pending' AND type IN ('submitForm', 'acceptCase') AND json_extract(payload, '$.values') <> '{}'`,
      ),
      // A peer's 到号前短信提醒 phone: kept only until the central API has decided it.
      scrubPhones: db.prepare(
        `UPDATE peer_mutations SET payload = json_set(payload, '$.phone', '')
          WHERE status <> 'pending' AND type = 'requestPositionSms' AND json_extract(payload, '$.phone') <> ''`,
      ),
      pendingCount: db.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM peer_mutations WHERE status = 'pending'`),
      formsOf: db.prepare<[string, string], { payload: string }>(
        `SELECT payload FROM peer_mutations WHERE type = 'submitForm' AND (json_extract(payload, '$.caseId') = ? OR json_extract(payload, '$.ticketId') = ?) ORDER BY hlc`,
      ),
      prune: db.prepare<[string]>(`DELETE FROM peer_mutations WHERE status <> 'pending' AND received_at < ?`),
      // The server decides a device's seqs in order: the highest pruned decided seq is a watermark.
      pruneWatermarks: db.prepare<[string]>(
        `INSERT INTO device_watermarks (device_id, epoch, seq)
         SELECT device_id, epoch, MAX(seq) FROM peer_mutations WHERE status <> 'pending' AND received_at < ? GROUP BY device_id, epoch
         ON CONFLICT (device_id, epoch) DO UPDATE SET seq = MAX(seq, excluded.seq)`,
      ),
    };
  }

  /** Stores a peer's mutation unless held already or decided by the server; true when new. */
  insert(mutation: Mutation, receivedAt: string): boolean {
    const watermark = this.stmts.watermark.get(mutation.deviceId, mutation.epoch)?.seq ?? 0;
    if (mutation.seq <= watermark) return false;
    const info = this.stmts.insert.run({
      id: mutation.id,
      deviceId: mutation.deviceId,
      epoch: mutation.epoch,
      seq: mutation.seq,
      type: mutation.type,
      payload: JSON.stringify(mutation.payload),
      hlc: mutation.hlc,
      receivedAt,
    });
    return info.changes > 0;
  }

  /** Own and peer mutations the base at `cursor` does not reflect, in the server's order (see UNREFLECTED_SQL). */
  /**
   * `limit`: only the first rows in HLC order. Callers that look at the head of the list
   * (a push batch, a pull page's confirmation) ask for that much, so a catch-up of N
   * mutations reads O(N) rows, not every outstanding row once per page (O(N²)).
   */
  unreflected(cursor: number, limit = -1): UnreflectedRow[] {
    return this.stmts.unreflected.all({ deviceId: this.deviceId, cursor, limit });
  }

  /** Own and peer mutations the server has not answered this station for, in HLC order. */
  pending(limit = -1): UnreflectedRow[] {
    return this.stmts.pending.all({ deviceId: this.deviceId, limit });
  }

  /** Spans of held seqs, per device, made or heard before `before` and not heard decided by anyone. */
  undecidedRanges(limit: number, before: string): MeshSeqRange[] {
    return this.stmts.undecidedRanges.all({ deviceId: this.deviceId, limit, before });
  }

  /**
   * What this station heard from the server itself (a pull page or a push answer) of the seqs
   * in `ranges`. A row the watermark alone settled is left out: rejected or reflected, it
   * cannot tell which.
   */
  decisionsIn(ranges: readonly MeshSeqRange[], limit: number): MeshDecision[] {
    const decisions: MeshDecision[] = [];
    for (const range of ranges) {
      const left = limit - decisions.length;
      if (left <= 0) break;
      const rows =
        range.deviceId === this.deviceId
          ? this.stmts.ownDecided.all(range.epoch, range.low, range.high, left)
          : this.stmts.peerDecided.all(range.deviceId, range.epoch, range.low, range.high, left);
      for (const row of rows) decisions.push(row.status === 'rejected' ? { id: row.id, rejected: true } : { id: row.id, logSeq: row.log_seq ?? 0 });
    }
    return decisions;
  }

  /** Takes what a peer heard the server decide, for rows not decided here; returns how many rows it told something new. */
  hear(decisions: readonly MeshDecision[]): number {
    let changed = 0;
    for (const decision of decisions) {
      if ('rejected' in decision) changed += this.stmts.hearRejected.run(decision.id).changes + this.stmts.hearOwnRejected.run(decision.id).changes;
      else changed += this.stmts.hearApplied.run(decision.logSeq, decision.id).changes + this.stmts.hearOwnApplied.run(decision.logSeq, decision.id).changes;
    }
    return changed;
  }

  vector(): MeshVectorEntry[] {
    return this.stmts.vector.all();
  }

  after(deviceId: string, epoch: string, after: number, limit: number): Mutation[] {
    return this.stmts.after.all(deviceId, epoch, after, limit).map(toMutation);
  }

  /** Effects of a peer mutation arrived in a pull page (or a push answered it) at `logSeq`. */
  markApplied(id: string, logSeq: number): boolean {
    return this.stmts.applied.run(logSeq, id).changes > 0;
  }

  /**
   * The server's answer to a peer mutation this station pushed on its behalf. True when it
   * removed an effect from the live state (a rejection): an applied one stays in the replay
   * set until the cursor passes its log position, so nothing visible changes.
   */
  recordResult(result: MutationResult): boolean {
    if (result.status === 'applied') {
      this.markApplied(result.id, result.logSeq);
      return false;
    }
    return this.stmts.rejected.run(result.code, result.reason, result.id).changes > 0;
  }

  /** The server decided every seq up to the watermark; returns how many held rows that settled. */
  settle(watermark: DeviceWatermark): number {
    if (watermark.deviceId === this.deviceId) return 0;
    this.stmts.setWatermark.run(watermark.deviceId, watermark.epoch, watermark.seq);
    return this.stmts.settle.run(watermark.deviceId, watermark.epoch, watermark.seq).changes;
  }

  watermark(deviceId: string, epoch: string): number {
    return this.stmts.watermark.get(deviceId, epoch)?.seq ?? 0;
  }

  /** True when the server has decided (or the watermark covers) that seq of a peer. */
  isDecided(deviceId: string, epoch: string, seq: number): boolean {
    return seq <= this.watermark(deviceId, epoch) || (this.stmts.decided.get(deviceId, epoch, seq)?.n ?? 0) > 0;
  }

  scrubDecided(): void {
    this.stmts.scrub.run();
    this.stmts.scrubPhones.run();
  }

  pendingCount(): number {
    return this.stmts.pendingCount.get()?.n ?? 0;
  }

  /** The submitForm payloads peers sent for a case or for every case of a ticket, while this station holds them. */
  submittedForms(query: { caseId: string } | { ticketId: string }): unknown[] {
    const caseId = 'caseId' in query ? query.caseId : '';
    const ticketId = 'ticketId' in query ? query.ticketId : '';
    return this.stmts.formsOf.all(caseId, ticketId).map((row) => JSON.parse(row.payload) as unknown);
  }

  /** Drops decided peer rows received before `before`: the server's log holds them now. */
  prune(before: string): number {
    // Kept as watermarks, so the vector still starts where the pruned rows ended and a peer's
    // resend of them is refused, not taken for new.
    return this.db.transaction(() => {
      this.stmts.pruneWatermarks.run(before);
      return this.stmts.prune.run(before).changes;
    })();
  }
}
