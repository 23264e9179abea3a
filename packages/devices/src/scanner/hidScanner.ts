import type { DeviceHealth } from '../health';
import { HealthTracker } from '../health';
import { DeviceError, FrameError } from '../transport/errors';
import { TypedEmitter } from '../transport/typedEmitter';
import type { HidPosLayout } from './hidPos';
import { DEFAULT_HID_POS_LAYOUT, HidPosAssembler } from './hidPos';
import type { WedgeClassifierOptions } from './keyboardWedge';
import { DEFAULT_WEDGE_CLASSIFIER, WedgeAssembler, decodeKeyboardReport } from './keyboardWedge';
import type { CodeScanner, CodeScannerEvents } from './types';

/** Where HID input reports come from: node-hid in production, anything in tests. */
export interface HidReportSource {
  start(handlers: { report: (report: Uint8Array) => void; connected: (connected: boolean) => void; error: (message: string) => void }): void;
  close(): Promise<void>;
}

export interface HidCodeScannerOptions {
  source: HidReportSource;
  mode: 'pos' | 'wedge';
  posLayout?: HidPosLayout;
  wedge?: WedgeClassifierOptions & { abandonAfterMs?: number };
  now?: () => number;
}

/** A code scanner on USB HID: POS reports or keyboard-wedge keystrokes. */
export class HidCodeScanner extends TypedEmitter<CodeScannerEvents> implements CodeScanner {
  readonly #options: HidCodeScannerOptions;
  readonly #health = new HealthTracker('scanner');
  readonly #pos: HidPosAssembler;
  readonly #wedge: WedgeAssembler;
  readonly #now: () => number;
  #held: Set<number> = new Set();

  constructor(options: HidCodeScannerOptions) {
    super();
    this.#options = options;
    this.#pos = new HidPosAssembler(options.posLayout ?? DEFAULT_HID_POS_LAYOUT);
    this.#wedge = new WedgeAssembler(options.wedge ?? DEFAULT_WEDGE_CLASSIFIER);
    this.#now = options.now ?? Date.now;
    this.#health.on('health', (health) => this.emit('health', health));
  }

  get health(): DeviceHealth {
    return this.#health.current;
  }

  start(): void {
    this.#options.source.start({
      report: (report) => this.#onReport(report),
      connected: (connected) => {
        this.#held = new Set();
        this.#health.setConnected(connected);
      },
      error: (message) => this.emit('error', new DeviceError('hid', message)),
    });
  }

  close(): Promise<void> {
    return this.#options.source.close();
  }

  #onReport(report: Uint8Array): void {
    const at = this.#now();
    if (this.#options.mode === 'pos') {
      const result = this.#pos.push(report);
      if (!result) return;
      if (result.kind === 'error') {
        this.emit('error', new FrameError('malformed', result.error, report.length));
        return;
      }
      const code = Buffer.from(result.data).toString('utf8');
      this.emit('scan', result.symbology ? { code, source: 'hid-pos', symbology: result.symbology, at } : { code, source: 'hid-pos', at });
      return;
    }
    const { presses, held } = decodeKeyboardReport(report, this.#held, at);
    this.#held = held;
    for (const press of presses) {
      for (const input of this.#wedge.push(press)) {
        if (input.kind === 'scan') this.emit('scan', { code: input.code, source: 'keyboard-wedge', at });
        else this.emit('typing', input.text);
      }
    }
  }
}

/**
 * node-hid adapter: opens the first device matching vendor/product id and
 * re-opens it after an unplug. Untested against hardware here (no USB HID
 * scanner on the build machine); everything it feeds is tested.
 */
export class NodeHidSource implements HidReportSource {
  #closed = false;
  #device: { close(): Promise<void> } | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: { vendorId: number; productId: number; reopenIntervalMs?: number }) {}

  start(handlers: Parameters<HidReportSource['start']>[0]): void {
    const attempt = async (): Promise<void> => {
      if (this.#closed) return;
      try {
        const hid = await import('node-hid');
        const device = await hid.HIDAsync.open(this.options.vendorId, this.options.productId, { nonExclusive: true });
        this.#device = device;
        handlers.connected(true);
        device.on('data', (data: Buffer) => handlers.report(data));
        device.on('error', (error: Error) => {
          handlers.error(error.message);
          handlers.connected(false);
          this.#device = undefined;
          void device.close().catch(() => undefined);
          this.#retry(attempt);
        });
      } catch (error) {
        handlers.connected(false);
        if (!this.#closed) handlers.error(error instanceof Error ? error.message : String(error));
        this.#retry(attempt);
      }
    };
    void attempt();
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    await this.#device?.close().catch(() => undefined);
  }

  #retry(attempt: () => Promise<void>): void {
    if (this.#closed) return;
    this.#timer = setTimeout(() => void attempt(), this.options.reopenIntervalMs ?? 1000);
  }
}
