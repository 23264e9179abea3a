import { performance } from 'node:perf_hooks';
import type { FrameError } from '../transport/errors';
import type { FrameParser } from '../transport/frameReader';
import { FrameReader } from '../transport/frameReader';
import type { ByteLink } from '../transport/link';
import { TypedEmitter } from '../transport/typedEmitter';

/** Ways the next reply can go wrong, to prove drivers recover. */
export type ReplyFault =
  /** Junk bytes before the reply. */
  | 'garbage-prefix'
  /** Junk bytes instead of the reply. */
  | 'garbage-only'
  /** The reply with its last byte flipped (bad checksum / bad end byte). */
  | 'corrupt'
  /** Only the first half of the reply, then silence. */
  | 'truncated'
  /** No reply at all. */
  | 'silence';

export type SimulatorEvents<F> = {
  request: [frame: F];
  frameError: [error: FrameError];
  /** A write to the link failed (e.g. unplugged mid-reply). */
  error: [error: Error];
};

const JUNK = Uint8Array.of(0x00, 0xff, 0x13, 0x37, 0x55);

/**
 * The device side of a link: parses what the driver sends with the same frame
 * parser family the driver uses and answers with `handle`. Subclasses model one
 * device; faults can be queued for the next replies.
 */
export abstract class DeviceSimulator<F> extends TypedEmitter<SimulatorEvents<F>> {
  readonly #reader: FrameReader<F>;
  readonly #faults: ReplyFault[] = [];
  /** Time the simulator itself spent on the last request (handle + write), ms. */
  lastProcessingMs = 0;
  /** Sum of `lastProcessingMs` over all requests (benchmarks subtract it). */
  totalProcessingMs = 0;
  requestCount = 0;

  protected constructor(
    readonly link: ByteLink,
    parser: FrameParser<F>,
  ) {
    super();
    this.#reader = new FrameReader(parser, {
      partialTimeoutMs: 200,
      onFrame: (frame) => void this.#onFrame(frame),
      onError: (error) => this.emit('frameError', error),
    });
    link.on('data', (chunk) => this.#reader.push(chunk));
    link.on('disconnect', () => this.#reader.reset());
  }

  /** Returns the reply bytes, or undefined for requests the device does not answer. */
  protected abstract handle(frame: F): Uint8Array | undefined | Promise<Uint8Array | undefined>;

  start(): void {
    this.link.start();
  }

  injectFault(...faults: ReplyFault[]): void {
    this.#faults.push(...faults);
  }

  /** Unsolicited bytes from the device (line noise, scanner output, events). */
  sendRaw(bytes: Uint8Array): Promise<void> {
    return this.link.write(bytes);
  }

  close(): Promise<void> {
    this.#reader.reset();
    return this.link.close();
  }

  async #onFrame(frame: F): Promise<void> {
    const started = performance.now();
    this.requestCount++;
    this.emit('request', frame);
    try {
      const reply = await this.handle(frame);
      if (reply) await this.#send(reply);
    } catch (error) {
      this.emit('error', error instanceof Error ? error : new Error(String(error)));
    }
    this.lastProcessingMs = performance.now() - started;
    this.totalProcessingMs += this.lastProcessingMs;
  }

  async #send(reply: Uint8Array): Promise<void> {
    const fault = this.#faults.shift();
    switch (fault) {
      case undefined:
        return this.link.write(reply);
      case 'garbage-prefix':
        return this.link.write(Uint8Array.from([...JUNK, ...reply]));
      case 'garbage-only':
        return this.link.write(JUNK);
      case 'corrupt': {
        const copy = Uint8Array.from(reply);
        copy[copy.length - 1] = (copy[copy.length - 1] ?? 0) ^ 0x5a;
        return this.link.write(copy);
      }
      case 'truncated':
        return this.link.write(reply.subarray(0, Math.max(1, Math.floor(reply.length / 2))));
      case 'silence':
        return;
    }
  }
}
