import { DeviceDisconnectedError, DeviceTimeoutError } from './errors';
import type { ByteLink, LinkEvents, LinkState } from './link';
import { TypedEmitter } from './typedEmitter';

export interface ReconnectOptions {
  /** Pause between attempts to (re)open an absent device. */
  reopenIntervalMs?: number;
}

/** Handle to one successful connection; the subclass wires its events to the callbacks. */
export interface Connection {
  write(bytes: Uint8Array): Promise<void>;
  destroy(): Promise<void>;
}

export interface ConnectionCallbacks {
  onData(chunk: Buffer): void;
  onLost(reason: string): void;
}

/**
 * The state machine shared by serial and TCP links: connect, and after a loss keep
 * retrying every `reopenIntervalMs` until closed. Subclasses only know how to make
 * one connection.
 */
export abstract class ReconnectingLink extends TypedEmitter<LinkEvents> implements ByteLink {
  #state: LinkState = 'idle';
  #connection: Connection | undefined;
  #retryTimer: NodeJS.Timeout | undefined;
  readonly #reopenIntervalMs: number;
  #lastFailure = '';

  protected constructor(options: ReconnectOptions) {
    super();
    this.#reopenIntervalMs = options.reopenIntervalMs ?? 500;
  }

  abstract readonly description: string;
  protected abstract connect(callbacks: ConnectionCallbacks): Promise<Connection>;

  get state(): LinkState {
    return this.#state;
  }

  start(): void {
    if (this.#state !== 'idle' && this.#state !== 'closed') return;
    this.#attempt();
  }

  waitOpen(timeoutMs: number): Promise<void> {
    if (this.#state === 'open') return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onOpen = (): void => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.off('open', onOpen);
        const detail = this.#lastFailure ? ` (${this.#lastFailure})` : '';
        reject(new DeviceTimeoutError(`${this.description}${detail}`, timeoutMs, 'not open'));
      }, timeoutMs);
      this.once('open', onOpen);
    });
  }

  async write(bytes: Uint8Array): Promise<void> {
    const connection = this.#connection;
    if (this.#state !== 'open' || !connection) throw new DeviceDisconnectedError(this.description);
    await connection.write(bytes);
  }

  async close(): Promise<void> {
    this.#state = 'closed';
    clearTimeout(this.#retryTimer);
    const connection = this.#connection;
    this.#connection = undefined;
    if (connection) await connection.destroy().catch(() => undefined);
  }

  #attempt(): void {
    this.#state = 'connecting';
    let generation: Connection | undefined;
    const callbacks: ConnectionCallbacks = {
      onData: (chunk) => {
        if (this.#connection === generation && this.#state === 'open') this.emit('data', chunk);
      },
      onLost: (reason) => {
        if (this.#connection !== generation || this.#state === 'closed') return;
        this.#connection = undefined;
        this.#state = 'disconnected';
        this.emit('disconnect', reason);
        this.#scheduleRetry();
      },
    };
    this.connect(callbacks).then(
      (connection) => {
        if (this.#state === 'closed') {
          void connection.destroy();
          return;
        }
        generation = connection;
        this.#connection = connection;
        this.#state = 'open';
        this.#lastFailure = '';
        this.emit('open');
      },
      (error: unknown) => {
        if (this.#state === 'closed') return;
        this.#lastFailure = error instanceof Error ? error.message : String(error);
        this.#state = 'disconnected';
        this.#scheduleRetry();
      },
    );
  }

  #scheduleRetry(): void {
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => {
      if (this.#state === 'disconnected') this.#attempt();
    }, this.#reopenIntervalMs);
  }
}
