import type { LockerRepository } from './repository';

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
    private readonly repository: LockerRepository,
    private readonly policy: RateLimitPolicy,
  ) {}

  /** The instant pickup opens again, or undefined when it is open now. */
  lockedUntil(nowMs: number): number | undefined {
    const at = this.repository.pickupLockedUntil() ?? 0;
    return at > nowMs ? at : undefined;
  }

  recordFailure(what: string, nowMs: number): number | undefined {
    const windowStart = nowMs - this.policy.windowMs;
    this.repository.transaction(() => {
      this.repository.forgetAttemptsBefore(windowStart);
      this.repository.addAttempt(nowMs, what);
      if (this.repository.attemptsSince(windowStart) >= this.policy.maxFailures) {
        this.repository.lockPickupUntil(nowMs + this.policy.lockoutMs);
        this.repository.forgetAllAttempts();
      }
    });
    return this.lockedUntil(nowMs);
  }
}
