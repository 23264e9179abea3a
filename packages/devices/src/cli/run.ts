import type { ByteLink } from '../transport/link';
import { withTimeout } from '../transport/timeout';
import type { CommandContext } from './registry';

/** Starts a driver on the command's link, waits for the port, runs `task`, closes. */
export async function withDriver<D extends { start(): void; close(): Promise<void> }, T>(
  context: CommandContext,
  make: (link: ByteLink) => D,
  task: (driver: D) => Promise<T>,
): Promise<T> {
  const link = context.link();
  const driver = make(link);
  driver.start();
  try {
    await link.waitOpen(context.number('open-timeout', 3000));
    return await task(driver);
  } finally {
    await driver.close();
  }
}

export { withTimeout };
