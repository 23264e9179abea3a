import iconv from 'iconv-lite';
import type { DeviceHealth } from '../health';
import { HealthTracker } from '../health';
import { FrameError } from '../transport/errors';
import { FrameReader, lineParser } from '../transport/frameReader';
import type { ByteLink } from '../transport/link';
import { TypedEmitter } from '../transport/typedEmitter';
import type { CodeScanner, CodeScannerEvents } from './types';

export interface SerialScannerOptions {
  link: ByteLink;
  /** Bytes that end a scan; CR and LF by default (CR LF pairs give one scan). */
  terminators?: readonly number[];
  /** Text encoding the scanner is configured for. */
  encoding?: 'utf8' | 'gb18030' | 'latin1';
  /** A code that gets no terminator within this time is dropped as truncated. */
  partialTimeoutMs?: number;
  maxLength?: number;
}

/** Decodes one line; undefined when it is not text a scanner would send. */
export function decodeScanLine(bytes: Uint8Array, encoding: 'utf8' | 'gb18030' | 'latin1'): string | undefined {
  const text = encoding === 'gb18030' ? iconv.decode(Buffer.from(bytes), 'gb18030') : Buffer.from(bytes).toString(encoding);
  if (text.includes('\uFFFD')) return undefined;
  // Control characters other than GS (FNC1 separator in GS1 codes) mean line noise.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001c\u001e\u001f\u007f]/.test(text)) return undefined;
  return text;
}

/** A code scanner in USB CDC / RS232 mode: each scan is a line of text. */
export class SerialCodeScanner extends TypedEmitter<CodeScannerEvents> implements CodeScanner {
  readonly #link: ByteLink;
  readonly #health = new HealthTracker('scanner');

  constructor(options: SerialScannerOptions) {
    super();
    this.#link = options.link;
    const encoding = options.encoding ?? 'utf8';
    const reader = new FrameReader(lineParser(options.terminators ?? [0x0d, 0x0a], options.maxLength ?? 4096), {
      partialTimeoutMs: options.partialTimeoutMs ?? 300,
      onFrame: (line) => {
        const code = decodeScanLine(line, encoding);
        if (code === undefined) {
          this.emit('error', new FrameError('malformed', `dropped a ${line.length}-byte line that is not ${encoding} text`, line.length));
          return;
        }
        this.emit('scan', { code, source: 'serial', at: Date.now() });
      },
      onError: (error) => this.emit('error', error),
    });
    this.#health.on('health', (health) => this.emit('health', health));
    this.#link.on('data', (chunk) => reader.push(chunk));
    this.#link.on('open', () => this.#health.setConnected(true));
    this.#link.on('disconnect', () => {
      reader.reset();
      this.#health.setConnected(false);
    });
  }

  get health(): DeviceHealth {
    return this.#health.current;
  }

  start(): void {
    this.#link.start();
  }

  close(): Promise<void> {
    return this.#link.close();
  }
}
