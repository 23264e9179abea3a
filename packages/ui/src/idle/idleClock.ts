/**
 * The idle rule, apart from React so it can be tested without a browser: after
 * `timeoutMs` without activity the citizen is warned with a countdown of `warnMs`;
 * activity during the warning cancels it, otherwise `onTimeout` fires once.
 */
export interface IdleClockOptions {
  timeoutMs: number;
  warnMs: number;
  now: () => number;
}

export type IdlePhase = { phase: 'active' } | { phase: 'warning'; secondsLeft: number } | { phase: 'expired' };

export class IdleClock {
  #lastActivity: number;
  #expired = false;

  constructor(private readonly options: IdleClockOptions) {
    this.#lastActivity = options.now();
  }

  activity(): void {
    if (this.#expired) return;
    this.#lastActivity = this.options.now();
  }

  /** Starts over after a timeout (a new citizen). */
  restart(): void {
    this.#expired = false;
    this.#lastActivity = this.options.now();
  }

  phase(): IdlePhase {
    if (this.#expired) return { phase: 'expired' };
    const idle = this.options.now() - this.#lastActivity;
    const warnAt = this.options.timeoutMs - this.options.warnMs;
    if (idle < warnAt) return { phase: 'active' };
    if (idle < this.options.timeoutMs) {
      return { phase: 'warning', secondsLeft: Math.ceil((this.options.timeoutMs - idle) / 1000) };
    }
    this.#expired = true;
    return { phase: 'expired' };
  }
}
