import type { FastifyBaseLogger } from 'fastify';

/**
 * A worker that makes one pass over due rows every interval (the SMS and rating outboxes).
 * Passes never overlap: `runOnce` during a pass answers that pass, and `stop` waits for it.
 */
export abstract class RepeatingPass {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<number> | undefined;
  #stopped = false;

  protected abstract readonly log?: FastifyBaseLogger;
  /** What the log says when a pass throws. */
  protected abstract readonly passFailure: string;
  /** One pass; answers how many rows it finished. */
  protected abstract pass(): Promise<number>;

  start(intervalMs: number): void {
    this.#stopped = false;
    const tick = () => {
      void this.runOnce()
        .catch((error: unknown) => this.log?.error({ error: (error as Error).message }, this.passFailure))
        .finally(() => {
          if (!this.#stopped) this.#timer = setTimeout(tick, intervalMs);
        });
    };
    this.#timer = setTimeout(tick, intervalMs);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  runOnce(): Promise<number> {
    this.#running ??= this.pass().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }
}
