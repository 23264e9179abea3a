import { realpathSync } from 'node:fs';
import { SerialPort } from 'serialport';
import type { Connection, ConnectionCallbacks, ReconnectOptions } from './reconnectingLink';
import { ReconnectingLink } from './reconnectingLink';

export interface SerialLinkOptions extends ReconnectOptions {
  path: string;
  baudRate?: number;
  dataBits?: 5 | 6 | 7 | 8;
  parity?: 'none' | 'even' | 'odd';
  stopBits?: 1 | 2;
  /**
   * How often to check that the device node still exists and is the same one.
   * The port's own close/error events do not always fire when a USB adapter or
   * a pty goes away, so this is the reliable unplug detector.
   */
  presenceCheckMs?: number;
}

function resolveTarget(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

/**
 * A serial port that survives unplug/replug: when the port closes under us (USB
 * adapter pulled, pty peer gone) it reports `disconnect` and reopens the same path
 * as soon as it exists again.
 */
export class SerialLink extends ReconnectingLink {
  readonly description: string;

  constructor(private readonly options: SerialLinkOptions) {
    super(options);
    this.description = `serial port ${options.path}`;
  }

  protected connect(callbacks: ConnectionCallbacks): Promise<Connection> {
    const { path, baudRate = 9600, dataBits = 8, parity = 'none', stopBits = 1, presenceCheckMs = 250 } = this.options;
    return new Promise((resolve, reject) => {
      const port = new SerialPort({ path, baudRate, dataBits, parity, stopBits, autoOpen: false });
      port.open((openError) => {
        if (openError) {
          reject(openError);
          return;
        }
        const target = resolveTarget(path);
        const lost = (reason: string): void => {
          clearInterval(watchdog);
          if (port.isOpen) port.close(() => undefined);
          callbacks.onLost(reason);
        };
        const watchdog = setInterval(() => {
          if (resolveTarget(path) !== target) lost(`${path} vanished`);
        }, presenceCheckMs);
        watchdog.unref();
        port.on('data', (chunk: Buffer) => callbacks.onData(chunk));
        port.on('close', () => lost(`${path} closed`));
        port.on('error', (error: Error) => lost(`${path}: ${error.message}`));
        resolve({
          write: (bytes) =>
            new Promise<void>((done, fail) => {
              port.write(Buffer.from(bytes), (error) => {
                if (error) fail(error);
                else port.drain((drainError) => (drainError ? fail(drainError) : done()));
              });
            }),
          destroy: () =>
            new Promise<void>((done) => {
              clearInterval(watchdog);
              if (!port.isOpen) {
                done();
                return;
              }
              port.close(() => done());
            }),
        });
      });
    });
  }
}
