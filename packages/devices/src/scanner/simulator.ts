import iconv from 'iconv-lite';
import type { ByteLink } from '../transport/link';

/**
 * A CDC/RS232 scanner: writes each code followed by its terminator, like a
 * scanner configured with a CR or CR LF suffix.
 */
export class SerialScannerSimulator {
  constructor(
    readonly link: ByteLink,
    private readonly options: { suffix?: Uint8Array; encoding?: 'utf8' | 'gb18030' } = {},
  ) {}

  start(): void {
    this.link.start();
  }

  scan(code: string): Promise<void> {
    const body = this.options.encoding === 'gb18030' ? iconv.encode(code, 'gb18030') : Buffer.from(code, 'utf8');
    return this.link.write(Buffer.concat([body, this.options.suffix ?? Uint8Array.of(0x0d, 0x0a)]));
  }

  sendRaw(bytes: Uint8Array): Promise<void> {
    return this.link.write(bytes);
  }

  close(): Promise<void> {
    return this.link.close();
  }
}
