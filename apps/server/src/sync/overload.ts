import { ApiError } from '../http/errors';

/** Error carrying Retry-After; the plugin's error path turns it into the header. */
export class RetryLaterError extends ApiError {
  constructor(
    statusCode: 429 | 503,
    readonly retryAfterSeconds: number,
    message: string,
  ) {
    super(statusCode, statusCode === 429 ? 'rate_limited' : 'overloaded', message, { retryAfterSeconds });
  }
}

export interface OverloadLimits {
  /** Sync requests processed at once by this instance; more get 503. */
  maxInFlight: number;
  /** Sustained requests per second per device (default 200: far above a busy station, low enough to stop a runaway loop); bursts up to twice that. */
  deviceRatePerSecond: number;
}

export function limitsFromEnv(env: NodeJS.ProcessEnv): OverloadLimits {
  const int = (name: string, fallback: number) => {
    const value = Number(env[name]);
    return Number.isFinite(value) && value >= 0 ? value : fallback;
  };
  return { maxInFlight: int('HALL_SYNC_MAX_INFLIGHT', 64), deviceRatePerSecond: int('HALL_SYNC_DEVICE_RATE', 200) };
}

/**
 * Admission control: a bounded number of sync requests in flight (503 beyond it, so a
 * reconnect storm sheds load instead of queueing without end) and a token bucket per
 * device (429), each answered with Retry-After; stations back off with jitter.
 */
export class Admission {
  private inFlight = 0;
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly limits: OverloadLimits,
    private readonly now: () => number = Date.now,
  ) {}

  enter(deviceId: string): () => void {
    const rate = this.limits.deviceRatePerSecond;
    if (rate > 0) {
      const t = this.now();
      const capacity = rate * 2;
      const bucket = this.buckets.get(deviceId) ?? { tokens: capacity, at: t };
      bucket.tokens = Math.min(capacity, bucket.tokens + ((t - bucket.at) / 1000) * rate);
      bucket.at = t;
      if (bucket.tokens < 1) {
        this.buckets.set(deviceId, bucket);
        throw new RetryLaterError(429, Math.max(1, Math.ceil((1 - bucket.tokens) / rate)), 'too many sync requests from this device');
      }
      bucket.tokens -= 1;
      this.buckets.set(deviceId, bucket);
    }
    if (this.inFlight >= this.limits.maxInFlight) throw new RetryLaterError(503, 1, 'sync is overloaded; retry shortly');
    this.inFlight += 1;
    let left = false;
    return () => {
      if (!left) this.inFlight -= 1;
      left = true;
    };
  }
}
