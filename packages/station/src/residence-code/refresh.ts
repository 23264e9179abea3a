import { LOCKER_PATHS } from '@hall/shared';
import { API_BASE_PATH } from '../sync/client';
import type { KeyCache } from './keys';

export interface KeyRefreshOptions {
  /** The central API's origin, as in the station config (apiUrl). */
  apiUrl: string;
  intervalMs?: number;
  timeoutMs?: number;
}

/**
 * Keeps a station's cached key set fresh: fetched at start and then periodically. A failed
 * fetch keeps the cached set, so codes still verify offline until their keys retire.
 */
export class KeySetRefresher {
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;
  lastError: string | undefined;

  constructor(
    private readonly cache: KeyCache,
    private readonly options: KeyRefreshOptions,
  ) {}

  start(): void {
    const tick = () => {
      void this.refresh().finally(() => {
        if (!this.#stopped) {
          this.#timer = setTimeout(tick, this.options.intervalMs ?? 5 * 60_000);
          this.#timer.unref?.();
        }
      });
    };
    tick();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  async refresh(): Promise<boolean> {
    try {
      const url = this.options.apiUrl.replace(/\/+$/, '') + API_BASE_PATH + LOCKER_PATHS.keys;
      const response = await fetch(url, { signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000) });
      if (!response.ok) throw new Error(`GET ${LOCKER_PATHS.keys}: ${response.status}`);
      const updated = this.cache.update(await response.json(), Date.now());
      if (!updated.ok) throw new Error(`key set refused: ${updated.reason}`);
      this.lastError = undefined;
      return true;
    } catch (error) {
      this.lastError = error instanceof Error ? error.message : String(error);
      return false;
    }
  }
}
