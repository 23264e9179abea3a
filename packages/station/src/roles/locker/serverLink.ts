import { CentralApi } from '../../central/client';
import { CENTRAL_ROUTES } from '../../central/routes';
import { backoffDelay } from '../../sync/rules/backoff';
import type { LockerStation } from './station';

/** The link's clock for its next round: real timers in a station, a hand-driven one in tests. */
export interface LinkTimers {
  set(run: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const REAL_TIMERS: LinkTimers = {
  set: (run, ms) => setTimeout(run, ms),
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface LockerLinkOptions {
  /** The central API base, e.g. http://host:port/api/v1. */
  baseUrl: string;
  /** Bearer credential of the enrolled device (it changes after enrollment). */
  headers: () => Record<string, string>;
  /** Outbox push and key refresh cadence while the central API answers. */
  intervalMs?: number;
  /** The longest wait between rounds while it does not (default one minute). */
  backoffMaxMs?: number;
  keyRefreshMs?: number;
  timeoutMs?: number;
  /** Tests: the jitter source, the clock and the timers. */
  random?: () => number;
  now?: () => number;
  timers?: LinkTimers;
}

/**
 * The locker's own channel to the central API: refreshes the key set and pushes the
 * locker outbox. Neither is needed for a pickup, which is decided here from the cache;
 * a failure only marks the locker offline until the next round succeeds. Rounds follow
 * one another at the interval while the API answers and back off (the station's one
 * formula, sync/rules/backoff.ts) while it does not, so a hall of lockers that lost the data
 * centre does not knock on its door every two seconds all at once.
 */
export class LockerServerLink {
  #timer: unknown;
  #running: Promise<void> | undefined;
  #lastKeys = 0;
  #started = false;
  #stopped = false;
  /** Rounds failed in a row; 0 after any success. */
  #failures = 0;
  readonly #timers: LinkTimers;
  readonly #now: () => number;
  readonly #api: CentralApi;
  lastError: string | undefined;

  constructor(
    private readonly station: LockerStation,
    private readonly options: LockerLinkOptions,
  ) {
    this.#timers = options.timers ?? REAL_TIMERS;
    this.#now = options.now ?? Date.now;
    this.#api = new CentralApi({ base: options.baseUrl, headers: options.headers, timeoutMs: options.timeoutMs ?? 5000 });
    // A new outbox event does not wait out a backoff: it tries at once, as the sync engine's upload does.
    station.on('outbox', () => void this.round());
  }

  start(): void {
    this.#started = true;
    void this.round();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#timers.clear(this.#timer);
    await this.#running;
  }

  /** The wait before the next round: the interval after a success, a growing jittered one after failures. */
  nextDelayMs(): number {
    const intervalMs = this.options.intervalMs ?? 2000;
    if (this.#failures === 0) return intervalMs;
    // Half the interval as the unit: the first retry comes within one interval, later ones double.
    const policy = { baseMs: intervalMs / 2, maxMs: Math.max(intervalMs, this.options.backoffMaxMs ?? 60_000) };
    return backoffDelay(policy, this.#failures, this.options.random ?? Math.random);
  }

  round(): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    this.#running ??= this.#round().finally(() => {
      this.#running = undefined;
      this.#scheduleNext();
    });
    return this.#running;
  }

  /** Every round, whoever started it, sets when the next one runs. */
  #scheduleNext(): void {
    if (!this.#started || this.#stopped) return;
    this.#timers.clear(this.#timer);
    this.#timer = this.#timers.set(() => void this.round(), this.nextDelayMs());
  }

  async #round(): Promise<void> {
    try {
      // With nothing to push, the key fetch doubles as the heartbeat that tells online from offline.
      const due = this.#now() - this.#lastKeys >= (this.options.keyRefreshMs ?? 5 * 60_000);
      if (due || this.station.pendingEvents(1).length === 0) await this.refreshKeys();
      await this.pushOutbox();
      this.lastError = undefined;
      this.#failures = 0;
      this.station.setOnline(true);
    } catch (error) {
      this.lastError = (error as Error).message;
      this.#failures += 1;
      this.station.setOnline(false);
    }
  }

  async refreshKeys(): Promise<void> {
    const keySet = await this.#api.require(CENTRAL_ROUTES.residenceKeySet);
    const updated = this.station.keys.update(keySet, this.#now());
    if (!updated.ok) throw new Error(`key set refused: ${updated.reason}`);
    this.#lastKeys = this.#now();
  }

  async pushOutbox(): Promise<void> {
    for (;;) {
      const events = this.station.pendingEvents(50);
      if (events.length === 0) return;
      const { results } = await this.#api.require(CENTRAL_ROUTES.lockerEvents, { body: { events } });
      // Rejected events are settled too: the server has decided and a resend cannot change it.
      for (const r of results) if (r.status === 'rejected') this.station.settleRefused(r.id);
      this.station.markSent(results.map((r) => r.id));
      if (results.length < events.length) return;
    }
  }
}
