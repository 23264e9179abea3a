import type Database from 'better-sqlite3';
import type { NumberBlock } from '@hall/shared';

/**
 * Ticket numbers leased to this kiosk in advance, per queue and day: offline, a kiosk numbers
 * only from its own blocks, so numbers never collide across the hall.
 */
export class NumberBlocks {
  private readonly stmts;

  constructor(db: Database.Database) {
    this.stmts = {
      next: db.prepare<[string, string], { start: number; next: number; end: number }>(
        `SELECT start, next, end FROM number_blocks WHERE queue_id = ? AND day = ? AND next <= end ORDER BY start LIMIT 1`,
      ),
      bump: db.prepare<[string, string, number]>('UPDATE number_blocks SET next = next + 1 WHERE queue_id = ? AND day = ? AND start = ?'),
      insert: db.prepare(
        'INSERT OR IGNORE INTO number_blocks (queue_id, day, start, end, next) VALUES (@queueId, @day, @start, @end, @start)',
      ),
      remaining: db.prepare<[string, string], { n: number | null }>(
        'SELECT SUM(end - next + 1) AS n FROM number_blocks WHERE queue_id = ? AND day = ?',
      ),
    };
  }

  /** Takes the next leased number of the queue's day (undefined when none is left). Caller holds the transaction that uses it. */
  take(queueId: string, day: string): number | undefined {
    const block = this.stmts.next.get(queueId, day);
    if (!block) return undefined;
    this.stmts.bump.run(queueId, day, block.start);
    return block.next;
  }

  add(block: NumberBlock): void {
    this.stmts.insert.run(block);
  }

  remaining(queueId: string, day: string): number {
    return this.stmts.remaining.get(queueId, day)?.n ?? 0;
  }
}
