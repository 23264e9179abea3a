/** One sync round trip as the station saw it, with the server's clock from the answer. */
export interface ClockSample {
  /** Station clock when the request left. */
  sentAt: number;
  /** Station clock when the answer's headers arrived. */
  receivedAt: number;
  /** The server's clock when it answered (`x-hall-server-time`). */
  serverTime: number;
}

export interface ClockOffsetOptions {
  /** Round trips longer than this say little about the server's clock (queueing, a slow proxy): ignored. */
  maxRttMs?: number;
  /** Weight of a new sample in the running estimate. */
  smoothing?: number;
  /** A sample this far from the estimate means the clock was set (by NTP or by hand): taken at once. */
  stepMs?: number;
}

/**
 * Estimates server clock minus station clock (NTP's midpoint rule: the server answered
 * about half-way through the round trip), smoothed so one delayed answer does not make the
 * station's warning flicker, but following a clock that was stepped at once.
 */
export class ClockOffsetEstimator {
  private value: number | undefined;
  private readonly maxRttMs: number;
  private readonly smoothing: number;
  private readonly stepMs: number;

  constructor(options: ClockOffsetOptions = {}) {
    this.maxRttMs = options.maxRttMs ?? 2_000;
    this.smoothing = options.smoothing ?? 0.25;
    this.stepMs = options.stepMs ?? 10_000;
  }

  /** The estimate in ms (server minus station), undefined before the first usable sample. */
  get offsetMs(): number | undefined {
    return this.value === undefined ? undefined : Math.round(this.value);
  }

  /** Takes one round trip into the estimate; false when it was ignored. */
  record(sample: ClockSample): boolean {
    const rtt = sample.receivedAt - sample.sentAt;
    if (!Number.isFinite(sample.serverTime) || rtt < 0 || rtt > this.maxRttMs) return false;
    const offset = sample.serverTime - (sample.sentAt + sample.receivedAt) / 2;
    if (this.value === undefined || Math.abs(offset - this.value) > this.stepMs) this.value = offset;
    else this.value += (offset - this.value) * this.smoothing;
    return true;
  }
}
