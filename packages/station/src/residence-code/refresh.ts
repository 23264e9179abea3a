import { CentralApi, centralApiBase } from '../central/client';
import { CENTRAL_ROUTES } from '../central/routes';
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
  readonly #api: CentralApi;
  lastError: string | undefined;

  constructor(
    private readonly cache: KeyCache,
    private readonly options: KeyRefreshOptions,
  ) {
    // The key set is public: no credential needed, so a station not yet enrolled verifies codes too.
    this.#api = new CentralApi({ base: centralApiBase(options.apiUrl) });
  }

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
      const keySet = await this.#api.require(CENTRAL_ROUTES.residenceKeySet, { timeoutMs: this.options.timeoutMs ?? 5000 });
      const updated = this.cache.update(keySet, Date.now());
      if (!updated.ok) throw new Error(`key set refused: ${updated.reason}`);
      this.lastError = undefined;
      return true;
    } catch (error) {
      this.lastError = error instanceof Error ? error.message : String(error);
      return false;
    }
  }
}
