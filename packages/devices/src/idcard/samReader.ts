import type { DeviceHealth } from '../health';
import { HealthTracker } from '../health';
import { DeviceError, DeviceStatusError, DeviceTimeoutError } from '../transport/errors';
import { FramedChannel } from '../transport/framedChannel';
import type { ByteLink } from '../transport/link';
import { Poller } from '../transport/poller';
import { TypedEmitter } from '../transport/typedEmitter';
import type { SamReply } from './frame';
import {
  SamCommand,
  SamStatus,
  decodeBaseInfo,
  decodeSamReply,
  describeSamStatus,
  encodeSamCommand,
  samFrameParser,
} from './frame';
import { WltPhoto } from './photo';
import { decodeTextBlock } from './text';
import type { IdCardRead, IdCardReader, IdCardReaderEvents } from './types';

export interface SamIdCardReaderOptions {
  link: ByteLink;
  /** Per command; reading base info takes ~1 s on real readers at 115200 bps. */
  timeoutMs?: number;
  pollIntervalMs?: number;
  /** Silence after which a half-received reply is dropped as truncated. */
  partialTimeoutMs?: number;
}

/** Statuses that mean the reader itself is unusable, not just "no card". */
const READER_FAULTS = new Set<number>([SamStatus.selfTestFailed, SamStatus.notAuthorised]);

/**
 * ID-card reader speaking GA 467 over a serial link: find → select → read base
 * information. In polling mode it remembers the card on the reader, so a card
 * produces one `card` event however long it lies there.
 */
export class SamIdCardReader extends TypedEmitter<IdCardReaderEvents> implements IdCardReader {
  readonly #link: ByteLink;
  readonly #channel: FramedChannel<Uint8Array>;
  readonly #timeoutMs: number;
  readonly #pollIntervalMs: number;
  readonly #health = new HealthTracker('idcard');
  readonly #poller = new Poller(
    () => this.#pollOnce(),
    (error) => this.emit('error', error),
  );
  /** ID number of the card that is on the reader (polling mode), if any. */
  #present: string | undefined;

  constructor(options: SamIdCardReaderOptions) {
    super();
    this.#link = options.link;
    this.#timeoutMs = options.timeoutMs ?? 3000;
    this.#pollIntervalMs = options.pollIntervalMs ?? 300;
    this.#channel = new FramedChannel(options.link, samFrameParser, { partialTimeoutMs: options.partialTimeoutMs ?? 200 });
    this.#channel.on('frameError', (error) => this.emit('error', error));
    this.#health.on('health', (health) => this.emit('health', health));
    this.#link.on('open', () => this.#health.setConnected(true));
    this.#link.on('disconnect', () => {
      this.#health.setConnected(false);
      if (this.#present !== undefined) {
        this.#present = undefined;
        this.emit('removed');
      }
    });
  }

  get health(): DeviceHealth {
    return this.#health.current;
  }

  start(): void {
    this.#link.start();
  }

  async read(): Promise<IdCardRead | undefined> {
    const found = await this.#command(SamCommand.findCard, 'find card');
    if (found.sw3 === SamStatus.noCard) {
      // A card that was read already stops answering "find" but still answers "select".
      const selected = await this.#command(SamCommand.selectCard, 'select card');
      if (selected.sw3 !== SamStatus.ok) return undefined;
      return this.#readSelected();
    }
    this.#expect(found, SamStatus.cardFound, 'find card');
    return this.#selectAndRead();
  }

  startPolling(intervalMs = this.#pollIntervalMs): void {
    this.#poller.start(intervalMs);
  }

  stopPolling(): void {
    this.#poller.stop();
  }

  async close(): Promise<void> {
    this.stopPolling();
    await this.#link.close();
  }

  async #pollOnce(): Promise<void> {
    if (this.#link.state !== 'open') return;
    const found = await this.#command(SamCommand.findCard, 'find card');
    if (found.sw3 === SamStatus.cardFound) {
      const read = await this.#selectAndRead();
      if (read.document.idNumber === this.#present) return;
      if (this.#present !== undefined) this.emit('removed');
      this.#present = read.document.idNumber;
      this.emit('card', read);
      return;
    }
    if (found.sw3 !== SamStatus.noCard) this.#expect(found, SamStatus.cardFound, 'find card');
    if (this.#present === undefined) return;
    // A card already read no longer answers "find" but still answers "select".
    const selected = await this.#command(SamCommand.selectCard, 'select card');
    if (selected.sw3 === SamStatus.ok) return;
    this.#present = undefined;
    this.emit('removed');
  }

  async #selectAndRead(): Promise<IdCardRead> {
    this.#expect(await this.#command(SamCommand.selectCard, 'select card'), SamStatus.ok, 'select card');
    return this.#readSelected();
  }

  async #readSelected(): Promise<IdCardRead> {
    const reply = await this.#command(SamCommand.readBase, 'read base information');
    this.#expect(reply, SamStatus.ok, 'read base information');
    const payload = decodeBaseInfo(reply.data);
    if (payload instanceof Error) throw payload;
    const decoded = decodeTextBlock(payload.text);
    if (!decoded.ok) throw new DeviceError('card-data-invalid', `card text rejected: ${decoded.error}`);
    return { document: decoded.document, photo: new WltPhoto(payload.photo) };
  }

  async #command(command: readonly [number, number], what: string): Promise<SamReply> {
    try {
      const reply = await this.#channel.request(encodeSamCommand(command), {
        timeoutMs: this.#timeoutMs,
        what,
        accept: (body) => decodeSamReply(body),
      });
      this.#health.clear('no-response');
      if (READER_FAULTS.has(reply.sw3)) {
        this.#health.raise({ code: 'reader-fault', level: 'error', message: describeSamStatus(reply.sw3) });
      } else this.#health.clear('reader-fault');
      return reply;
    } catch (error) {
      if (error instanceof DeviceTimeoutError) {
        this.#health.raise({ code: 'no-response', level: 'error', message: 'ID-card reader does not answer' });
      }
      throw error;
    }
  }

  #expect(reply: SamReply, status: number, what: string): void {
    if (reply.sw3 === status) return;
    throw new DeviceStatusError(`sam-${reply.sw3.toString(16)}`, `${what}: ${describeSamStatus(reply.sw3)}`, reply.sw3);
  }
}
