import type Database from 'better-sqlite3';
import type { Mutation } from '@hall/shared';
import { toMutation } from './rules/unreflected';

/** One of this station's own mutations as the outbox keeps it. */
export interface OutboxRow {
  seq: number;
  id: string;
  epoch: string;
  type: string;
  payload: unknown;
  hlc: string;
  createdAt: string;
  status: 'pending' | 'applied' | 'rejected';
  code: string | null;
  reason: string | null;
  logSeq: number | null;
}

interface RawOutbox {
  seq: number;
  id: string;
  epoch: string;
  type: string;
  payload: string;
  hlc: string;
  created_at: string;
  status: OutboxRow['status'];
  code: string | null;
  reason: string | null;
  log_seq: number | null;
}

function toOutboxRow(raw: RawOutbox): OutboxRow {
  return {
    seq: raw.seq,
    id: raw.id,
    epoch: raw.epoch,
    type: raw.type,
    payload: JSON.parse(raw.payload) as unknown,
    hlc: raw.hlc,
    createdAt: raw.created_at,
    status: raw.status,
    code: raw.code,
    reason: raw.reason,
    logSeq: raw.log_seq,
  };
}

/**
 * This station's own mutations (the outbox table), named by epoch and seq. Callers hold the
 * store's transaction; the in-memory epoch and next seq live in the store.
 */
export class Outbox {
  private readonly stmts;

  constructor(
    private readonly db: Database.Database,
    private readonly deviceId: string,
  ) {
    this.stmts = {
      insert: db.prepare(
        `INSERT INTO outbox (seq, id, epoch, type, payload, hlc, created_at) VALUES (@seq, @id, @epoch, @type, @payload, @hlc, @createdAt)`,
      ),
      pending: db.prepare<[string, number, number], RawOutbox>(
        `SELECT * FROM outbox WHERE status = 'pending' AND epoch = ? AND seq >= ? ORDER BY seq LIMIT ?`,
      ),
      // Another station may have pushed this one's mutation: its effects in a pull page settle it.
      // Already acknowledged at that position (the push answer came first): nothing to write.
      reflect: db.prepare<{ logSeq: number; at: string; id: string }>(
        `UPDATE outbox SET status = 'applied', log_seq = MAX(COALESCE(log_seq, 0), @logSeq), acked_at = COALESCE(acked_at, @at)
          WHERE id = @id AND (status = 'pending' OR (status = 'applied' AND COALESCE(log_seq, 0) < @logSeq))`,
      ),
      after: db.prepare<[string, number, number], RawOutbox>(`SELECT * FROM outbox WHERE epoch = ? AND seq > ? ORDER BY seq LIMIT ?`),
      from: db.prepare<[string, number, number], RawOutbox>('SELECT * FROM outbox WHERE epoch = ? AND seq >= ? ORDER BY seq LIMIT ?'),
      all: db.prepare<[], RawOutbox>('SELECT * FROM outbox ORDER BY hlc, epoch, seq'),
      // Form values are personal data: a rejected form is never sent again, so its values go at once.
      scrubForm: db.prepare<[string, number]>(
        `UPDATE outbox SET payload = json_set(payload, '$.values', json('{}')) WHERE epoch = ? AND seq = ? AND type IN ('submitForm', 'acceptCase')`,
      ),
      // An applied form keeps its values for the restore horizon, so a central database restored
      // from a backup can be given them again (resendLost), then only the case fields remain.
      scrubAcknowledged: db.prepare<[string]>(
        `UPDATE outbox SET payload = json_set(payload, '$.values', json('{}'))
          WHERE type IN ('submitForm', 'acceptCase') AND acked_at < ? AND status <> 'pending' AND json_extract(payload, '$.values') <> '{}'`,
      ),
      // The phone left for 到号前短信提醒 is needed only until the central API has decided the
      // request (it keeps the phone itself, sealed), so it goes at once, restore horizon or not.
      scrubPhones: db.prepare(
        `UPDATE outbox SET payload = json_set(payload, '$.phone', '')
          WHERE type = 'requestPositionSms' AND status <> 'pending' AND json_extract(payload, '$.phone') <> ''`,
      ),
      pendingCount: db.prepare<[], { n: number; oldest: string | null }>(
        `SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM outbox WHERE status = 'pending'`,
      ),
      rejectedCount: db.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM outbox WHERE status = 'rejected'`),
      markApplied: db.prepare<[number, string, string, number]>(
        `UPDATE outbox SET status = 'applied', log_seq = ?, acked_at = ? WHERE epoch = ? AND seq = ? AND status = 'pending'`,
      ),
      markRejected: db.prepare<[string, string, string, string, number]>(
        `UPDATE outbox SET status = 'rejected', code = ?, reason = ?, acked_at = ? WHERE epoch = ? AND seq = ? AND status = 'pending'`,
      ),
      rowAt: db.prepare<[string, number], RawOutbox>('SELECT * FROM outbox WHERE epoch = ? AND seq = ?'),
      pendingRows: db.prepare<[], RawOutbox>(`SELECT * FROM outbox WHERE status = 'pending' ORDER BY hlc, epoch, seq`),
      setPayload: db.prepare<[string, string]>('UPDATE outbox SET payload = ? WHERE id = ?'),
      move: db.prepare<[string, number, string]>('UPDATE outbox SET epoch = ?, seq = ? WHERE id = ?'),
      outsideEpoch: db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM outbox WHERE epoch <> ?'),
      appliedAfter: db.prepare<[number], { n: number }>(`SELECT COUNT(*) AS n FROM outbox WHERE status = 'applied' AND log_seq > ?`),
      reopenAppliedAfter: db.prepare<[number]>(
        `UPDATE outbox SET status = 'pending', log_seq = NULL, acked_at = NULL WHERE status = 'applied' AND log_seq > ?`,
      ),
    };
  }

  append(mutation: Mutation, createdAt: string): void {
    this.stmts.insert.run({
      seq: mutation.seq,
      id: mutation.id,
      epoch: mutation.epoch,
      type: mutation.type,
      payload: JSON.stringify(mutation.payload),
      hlc: mutation.hlc,
      createdAt,
    });
  }

  pending(epoch: string, fromSeq: number, limit: number): Mutation[] {
    return this.toMutations(this.stmts.pending.all(epoch, fromSeq, limit));
  }

  /** Rows of `epoch` after `seq`, whatever their status (a hall peer asking what it lacks). */
  after(epoch: string, seq: number, limit: number): Mutation[] {
    return this.toMutations(this.stmts.after.all(epoch, seq, limit));
  }

  /** Rows of `epoch` from `seq` on, whatever their status. */
  from(epoch: string, seq: number, limit: number): Mutation[] {
    return this.toMutations(this.stmts.from.all(epoch, seq, limit));
  }

  /** Every row kept, in the order it was made (across epochs). */
  all(): OutboxRow[] {
    return this.stmts.all.all().map(toOutboxRow);
  }

  /** A pulled log entry at `logSeq` came from this mutation: the server applied it. */
  reflect(id: string, logSeq: number, at: string): void {
    this.stmts.reflect.run({ logSeq, at, id });
  }

  markApplied(epoch: string, seq: number, logSeq: number, at: string): void {
    this.stmts.markApplied.run(logSeq, at, epoch, seq);
  }

  /** Returns the row when it was pending until now (newly rejected); its form values go at once. */
  markRejected(epoch: string, seq: number, code: string, reason: string, at: string): OutboxRow | undefined {
    const info = this.stmts.markRejected.run(code, reason, at, epoch, seq);
    this.stmts.scrubForm.run(epoch, seq);
    if (info.changes === 0) return undefined;
    const raw = this.stmts.rowAt.get(epoch, seq);
    return raw && toOutboxRow(raw);
  }

  /** Read through the status index: cheap enough for every commit. */
  counts(): { pending: number; rejected: number; oldestPendingAt: string | undefined } {
    const pending = this.stmts.pendingCount.get() ?? { n: 0, oldest: null };
    return { pending: pending.n, rejected: this.stmts.rejectedCount.get()?.n ?? 0, oldestPendingAt: pending.oldest ?? undefined };
  }

  /** Scrubs form values acknowledged before `before` and every decided phone; returns how many rows. */
  scrubAcknowledged(before: string): number {
    return this.stmts.scrubAcknowledged.run(before).changes + this.stmts.scrubPhones.run().changes;
  }

  /**
   * Moves every pending row under `epoch`, renumbered from seq 1 in the order it was made
   * (ids kept), with the proof `reprove` makes for its new place. Returns how many moved and
   * how many rows stay under other epochs.
   */
  renumberPending(epoch: string, reprove?: (mutation: Mutation) => Record<string, unknown> | undefined): { moved: number; retired: number } {
    const rows = this.toMutations(this.stmts.pendingRows.all());
    rows.forEach((row, i) => {
      this.stmts.move.run(epoch, i + 1, row.id);
      const proof = reprove?.({ ...row, epoch, seq: i + 1 });
      if (proof) this.stmts.setPayload.run(JSON.stringify({ ...row.payload, ...proof }), row.id);
    });
    return { moved: rows.length, retired: this.stmts.outsideEpoch.get(epoch)?.n ?? 0 };
  }

  appliedAfterCount(logSeq: number): number {
    return this.stmts.appliedAfter.get(logSeq)?.n ?? 0;
  }

  /** A restored central database lacks what it applied after `logSeq`: those rows are unconfirmed again. */
  reopenAppliedAfter(logSeq: number): void {
    this.stmts.reopenAppliedAfter.run(logSeq);
  }

  private toMutations(rows: RawOutbox[]): Mutation[] {
    return rows.map((raw) => toMutation({ ...raw, device_id: this.deviceId }));
  }
}
