import type Database from 'better-sqlite3';

export interface RateLimitPolicy {
  /** Failed pickup attempts tolerated within `windowMs` … */
  maxFailures: number;
  windowMs: number;
  /** … before pickup is refused for this long. */
  lockoutMs: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitPolicy = { maxFailures: 5, windowMs: 10 * 60_000, lockoutMs: 15 * 60_000 };

/**
 * Station-wide, persisted limits on failed pickup attempts: a person at the screen is
 * one person whatever code they try, and a restart must not reset the count. With an
 * 8-digit code plus an ID card and 5 tries per quarter hour, guessing is hopeless.
 */
export class AttemptLimiter {
  constructor(
    private readonly db: Database.Database,
    private readonly policy: RateLimitPolicy,
  ) {}

  /** The instant pickup opens again, or undefined when it is open now. */
  lockedUntil(nowMs: number): number | undefined {
    const until = this.db.prepare("SELECT value FROM meta WHERE key = 'locked_until'").get() as { value: string } | undefined;
    const at = until ? Number(until.value) : 0;
    return at > nowMs ? at : undefined;
  }

  recordFailure(what: string, nowMs: number): number | undefined {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM attempts WHERE at < ?').run(nowMs - this.policy.windowMs);
      this.db.prepare('INSERT INTO attempts (at, what) VALUES (?, ?)').run(nowMs, what);
      const { n } = this.db.prepare('SELECT COUNT(*) AS n FROM attempts WHERE at >= ?').get(nowMs - this.policy.windowMs) as { n: number };
      if (n >= this.policy.maxFailures) {
        this.db
          .prepare("INSERT INTO meta (key, value) VALUES ('locked_until', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
          .run(String(nowMs + this.policy.lockoutMs));
        this.db.prepare('DELETE FROM attempts').run();
      }
    })();
    return this.lockedUntil(nowMs);
  }
}
