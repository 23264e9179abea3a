/** How a loop that talks to the central API waits after failures. */
export interface BackoffPolicy {
  /** The unit the wait doubles from (the first failure waits up to twice this). */
  readonly baseMs: number;
  /** No wait is longer, however many failures in a row. */
  readonly maxMs: number;
}

/**
 * The wait before retry number `failures` (1 after the first failure): base × 2^failures
 * up to the cap, then jittered into its upper half so that the stations of a hall that
 * lost the central API together do not come back at the same instant. A Retry-After the
 * server sent is honoured even when it is longer. The one formula of the station tier: the
 * sync engine, its poke socket, the locker's link and enrollment all use it.
 */
export function backoffDelay(policy: BackoffPolicy, failures: number, random: () => number, retryAfterSeconds?: number): number {
  const cap = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(failures, 16));
  const jittered = cap / 2 + (random() * cap) / 2;
  return Math.max(jittered, (retryAfterSeconds ?? 0) * 1000);
}
