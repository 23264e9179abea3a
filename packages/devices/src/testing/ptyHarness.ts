import { SerialLink } from '../transport/serialLink';
import { delay } from '../transport/timeout';
import { PtyPair } from './ptyPair';

export interface PtyHarness {
  pair: PtyPair;
  /** The driver's end. */
  host: SerialLink;
  /** The simulator's end. */
  device: SerialLink;
  /** Kill the pty pair and wait until both ends have noticed. */
  unplug(): Promise<void>;
  /** Bring the pair back and wait until both ends have reopened. */
  replug(): Promise<void>;
  close(): Promise<void>;
}

/** A pty pair with reconnecting links on both ends, tuned for fast tests. */
export async function openPtyHarness(options: { baudRate?: number } = {}): Promise<PtyHarness> {
  const pair = await PtyPair.open();
  const host = new SerialLink({ path: pair.hostPath, baudRate: options.baudRate ?? 115200, reopenIntervalMs: 25, presenceCheckMs: 25 });
  const device = new SerialLink({ path: pair.devicePath, baudRate: options.baudRate ?? 115200, reopenIntervalMs: 25, presenceCheckMs: 25 });
  return {
    pair,
    host,
    device,
    async unplug() {
      await pair.unplug();
      const deadline = Date.now() + 3000;
      while (host.state === 'open' || device.state === 'open') {
        if (Date.now() > deadline) throw new Error('links did not notice the unplug within 3 s');
        await delay(10);
      }
    },
    async replug() {
      await pair.replug();
      await Promise.all([host.waitOpen(3000), device.waitOpen(3000)]);
    },
    async close() {
      await host.close();
      await device.close();
      await pair.close();
    },
  };
}

/** Resolves with the first emission of `event`, or rejects after `ms`. */
export function nextEvent<A extends unknown[]>(
  emitter: { once(event: never, listener: (...args: never[]) => void): unknown },
  event: string,
  ms = 2000,
): Promise<A> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} event within ${ms} ms`)), ms);
    const listener = (...args: A): void => {
      clearTimeout(timer);
      resolve(args);
    };
    emitter.once(event as never, listener as unknown as (...args: never[]) => void);
  });
}

/** Polls `condition` until it holds; rejects after `ms` (for effects of bytes in flight). */
export async function waitFor(condition: () => boolean, ms = 2000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what} not reached within ${ms} ms`);
    await delay(5);
  }
}
