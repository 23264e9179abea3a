import { asDeviceError } from './errors';
import type { DeviceError } from './errors';

/**
 * Runs `task` again `intervalMs` after each run finishes (never overlapping, so
 * a slow device cannot pile up requests); a failed run is reported and the
 * loop goes on.
 */
export class Poller {
  #timer: NodeJS.Timeout | undefined;
  #running = false;

  constructor(
    private readonly task: () => Promise<void>,
    private readonly onError: (error: DeviceError) => void,
  ) {}

  get running(): boolean {
    return this.#running;
  }

  start(intervalMs: number): void {
    if (this.#running) return;
    this.#running = true;
    const tick = async (): Promise<void> => {
      try {
        await this.task();
      } catch (error) {
        this.onError(asDeviceError(error));
      }
      if (this.#running) this.#timer = setTimeout(() => void tick(), intervalMs);
    };
    void tick();
  }

  stop(): void {
    this.#running = false;
    clearTimeout(this.#timer);
  }
}
