import type { ServerContext } from '../context';

/**
 * A job that looks at a hall whenever its sync log grows (the hub's pokes, from every
 * instance on PostgreSQL) and at all halls on a slow sweep, which catches pokes this
 * instance never heard (a restart, a relay hiccup). Scans of one hall never overlap; a hall
 * poked while its scan runs is scanned once more right after it.
 */
export class PokedHallScan {
  readonly #timer: NodeJS.Timeout | undefined;
  readonly #running = new Map<string, Promise<number>>();
  readonly #again = new Set<string>();
  #closed = false;

  constructor(
    hub: ServerContext['hub'],
    private readonly run: (hallId: string | undefined) => Promise<number>,
    sweepMs: number | undefined,
    topics: readonly string[] = ['sync'],
  ) {
    hub.onPoke((hallId, topic) => {
      if (topics.includes(topic) && !this.#closed) void this.scan(hallId).catch(() => undefined);
    });
    if (sweepMs !== undefined) {
      this.#timer = setInterval(() => void this.scan().catch(() => undefined), sweepMs);
      this.#timer.unref();
    }
  }

  close(): void {
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
  }

  /** Runs the job for one hall (or all); returns its count, 0 when it only joined a running scan. */
  scan(hallId?: string): Promise<number> {
    const key = hallId ?? '*';
    const running = this.#running.get(key);
    if (running) {
      this.#again.add(key);
      return running.then(() => 0);
    }
    const run = this.run(hallId).finally(() => {
      this.#running.delete(key);
      if (this.#again.delete(key) && !this.#closed) void this.scan(hallId).catch(() => undefined);
    });
    this.#running.set(key, run);
    return run;
  }

  /** Waits for the scans in flight (before the database closes). */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.#running.values()]);
  }
}
