import { DeviceTimeoutError } from './errors';
import type { FrameError } from './errors';
import type { FrameParser } from './frameReader';
import { FrameReader } from './frameReader';
import type { ByteLink } from './link';
import { SerialQueue } from './timeout';
import { TypedEmitter } from './typedEmitter';

export type ChannelEvents<F> = {
  /** A frame that no pending request claimed (unsolicited, or a late reply). */
  frame: [frame: F];
  /** Garbage, a bad checksum or a truncated frame; the channel carries on. */
  frameError: [error: FrameError];
};

export interface RequestOptions<F, R> {
  timeoutMs: number;
  /** Returns the result for the reply this request waits for, undefined for others. */
  accept: (frame: F) => R | undefined;
  /** Label for timeout errors. */
  what: string;
  /** Runs in the request's turn, before writing (e.g. to tell the parser what to expect). */
  prepare?: () => void;
}

interface Waiter<F> {
  offer(frame: F): boolean;
}

/**
 * Request/response over a half-duplex link: one request at a time (RS485 buses
 * are shared), stale bytes flushed before each request, each wait bounded by a
 * timeout. Corrupt replies surface as `frameError` and the request keeps
 * waiting, so a retransmission or the timeout settles it.
 */
export class FramedChannel<F> extends TypedEmitter<ChannelEvents<F>> {
  readonly #reader: FrameReader<F>;
  readonly #queue = new SerialQueue();
  #waiter: Waiter<F> | undefined;

  constructor(
    readonly link: ByteLink,
    parser: FrameParser<F>,
    options: { partialTimeoutMs?: number } = {},
  ) {
    super();
    this.#reader = new FrameReader(parser, {
      partialTimeoutMs: options.partialTimeoutMs ?? 200,
      onFrame: (frame) => {
        if (!this.#waiter?.offer(frame)) this.emit('frame', frame);
      },
      onError: (error) => this.emit('frameError', error),
    });
    link.on('data', (chunk) => this.#reader.push(chunk));
    link.on('disconnect', () => this.#reader.reset());
  }

  /** Sends without waiting for a reply (broadcasts, devices that never answer). */
  send(bytes: Uint8Array): Promise<void> {
    return this.#queue.run(() => this.link.write(bytes));
  }

  request<R>(bytes: Uint8Array, options: RequestOptions<F, R>): Promise<R> {
    return this.#queue.run(async () => {
      this.#reader.reset();
      options.prepare?.();
      let timer: NodeJS.Timeout | undefined;
      let waiter: Waiter<F> | undefined;
      const reply = new Promise<R>((resolve, reject) => {
        timer = setTimeout(() => {
          if (this.#waiter === waiter) this.#waiter = undefined;
          // Whatever part of a reply arrived is now known to be truncated.
          this.#reader.reset();
          reject(new DeviceTimeoutError(options.what, options.timeoutMs));
        }, options.timeoutMs);
        waiter = {
          offer: (frame) => {
            const result = options.accept(frame);
            if (result === undefined) return false;
            clearTimeout(timer);
            this.#waiter = undefined;
            resolve(result);
            return true;
          },
        };
        this.#waiter = waiter;
      });
      // The timer can fire while the write is still pending; observe the rejection now so
      // it is never "unhandled" (which would end the station process) before `return reply`.
      reply.catch(() => undefined);
      try {
        await this.link.write(bytes);
      } catch (error) {
        clearTimeout(timer);
        if (this.#waiter === waiter) this.#waiter = undefined;
        throw error;
      }
      return reply;
    });
  }
}
