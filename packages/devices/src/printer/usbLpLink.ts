import { constants, existsSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import type { Connection, ConnectionCallbacks, ReconnectOptions } from '../transport/reconnectingLink';
import { ReconnectingLink } from '../transport/reconnectingLink';
import { delay } from '../transport/timeout';

export interface UsbLpLinkOptions extends ReconnectOptions {
  /** The kernel usblp character device, e.g. /dev/usb/lp0. */
  path: string;
  /** How often to poll for status bytes (the device has no readiness events). */
  pollIntervalMs?: number;
}

const isAgain = (error: unknown): boolean => {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EAGAIN' || code === 'EWOULDBLOCK';
};

/**
 * A USB printer through the Linux usblp driver: /dev/usb/lpN is a character device
 * that writes to the printer's bulk-out endpoint and reads its bulk-in (where DLE
 * EOT replies arrive). This is how CUPS-less thermal printers show up, and it needs
 * no libusb interface claim. (The escpos package's USB adapter was not usable: it
 * is written against the usb 1.x API and fails with "usb.getDeviceList is not a
 * function" on the usb 3.x installed here.) Unplugging removes the device node;
 * the link notices on the next read or write and reopens the path when it is back.
 */
export class UsbLpLink extends ReconnectingLink {
  readonly description: string;

  constructor(private readonly options: UsbLpLinkOptions) {
    super(options);
    this.description = `usb printer ${options.path}`;
  }

  protected async connect(callbacks: ConnectionCallbacks): Promise<Connection> {
    const { path, pollIntervalMs = 20 } = this.options;
    const handle = await open(path, constants.O_RDWR | constants.O_NONBLOCK | constants.O_NOCTTY);
    let alive = true;
    const lost = (reason: string): void => {
      if (!alive) return;
      alive = false;
      void handle.close().catch(() => undefined);
      callbacks.onLost(reason);
    };
    void readLoop(handle, pollIntervalMs, () => alive, callbacks.onData, (reason) => lost(reason), path);
    return {
      write: async (bytes) => {
        let offset = 0;
        while (offset < bytes.length) {
          if (!alive) throw new Error(`${path} is gone`);
          try {
            const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset);
            offset += bytesWritten;
          } catch (error) {
            if (isAgain(error)) {
              await delay(5);
              continue;
            }
            lost(`${path}: ${(error as Error).message}`);
            throw error;
          }
        }
      },
      destroy: async () => {
        if (!alive) return;
        alive = false;
        await handle.close().catch(() => undefined);
      },
    };
  }
}

async function readLoop(
  handle: FileHandle,
  pollIntervalMs: number,
  alive: () => boolean,
  onData: (chunk: Buffer) => void,
  onLost: (reason: string) => void,
  path: string,
): Promise<void> {
  const buffer = Buffer.alloc(256);
  while (alive()) {
    try {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead > 0) {
        onData(Buffer.from(buffer.subarray(0, bytesRead)));
        continue;
      }
    } catch (error) {
      if (!alive()) return;
      if (!isAgain(error)) {
        onLost(`${path}: ${(error as Error).message}`);
        return;
      }
    }
    // A read of nothing does not say the device is gone; the node vanishing does.
    if (!existsSync(path)) {
      onLost(`${path} removed`);
      return;
    }
    await delay(pollIntervalMs);
  }
}
