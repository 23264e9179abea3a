import { LOCKER_PATHS, LockerEventResultSchema } from '@hall/shared';
import type { LockerStation } from './station';

export interface LockerLinkOptions {
  /** The central API base, e.g. http://host:port/api/v1. */
  baseUrl: string;
  /** Bearer credential of the enrolled device (it changes after enrollment). */
  headers: () => Record<string, string>;
  /** Outbox push and key refresh cadence. */
  intervalMs?: number;
  keyRefreshMs?: number;
  timeoutMs?: number;
}

/**
 * The locker's own channel to the central API: refreshes the key set and pushes the
 * locker outbox. Neither is needed for a pickup, which is decided here from the cache;
 * a failure only marks the locker offline until the next round succeeds.
 */
export class LockerServerLink {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #lastKeys = 0;
  #stopped = false;
  lastError: string | undefined;

  constructor(
    private readonly station: LockerStation,
    private readonly options: LockerLinkOptions,
  ) {
    station.on('outbox', () => void this.round());
  }

  start(): void {
    const tick = () => {
      void this.round().finally(() => {
        if (!this.#stopped) this.#timer = setTimeout(tick, this.options.intervalMs ?? 2000);
      });
    };
    tick();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  round(): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    this.#running ??= this.#round().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #round(): Promise<void> {
    try {
      // With nothing to push, the key fetch doubles as the heartbeat that tells online from offline.
      const due = Date.now() - this.#lastKeys >= (this.options.keyRefreshMs ?? 5 * 60_000);
      if (due || this.station.pendingEvents(1).length === 0) await this.refreshKeys();
      await this.pushOutbox();
      this.lastError = undefined;
      this.station.setOnline(true);
    } catch (error) {
      this.lastError = (error as Error).message;
      this.station.setOnline(false);
    }
  }

  async refreshKeys(): Promise<void> {
    const response = await this.#fetch(LOCKER_PATHS.keys, { method: 'GET' });
    const updated = this.station.keys.update(await response.json(), Date.now());
    if (!updated.ok) throw new Error(`key set refused: ${updated.reason}`);
    this.#lastKeys = Date.now();
  }

  async pushOutbox(): Promise<void> {
    for (;;) {
      const events = this.station.pendingEvents(50);
      if (events.length === 0) return;
      const response = await this.#fetch(LOCKER_PATHS.events, { method: 'POST', body: JSON.stringify({ events }) });
      const { results } = LockerEventResultSchema.parse(await response.json());
      // Rejected events are settled too: the server has decided and a resend cannot change it.
      for (const r of results) if (r.status === 'rejected') this.station.settleRefused(r.id);
      this.station.markSent(results.map((r) => r.id));
      if (results.length < events.length) return;
    }
  }

  async #fetch(path: string, init: { method: string; body?: string }): Promise<Response> {
    const response = await fetch(this.options.baseUrl + path, {
      ...init,
      headers: { ...(init.body ? { 'content-type': 'application/json' } : {}), ...this.options.headers() },
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
    });
    if (!response.ok) throw new Error(`${init.method} ${path}: ${response.status}`);
    return response;
  }
}
