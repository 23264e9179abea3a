import { writeFileSync, renameSync } from 'node:fs';
import type { ByteLink } from '../../transport/link';
import { TypedEmitter } from '../../transport/typedEmitter';
import type { PrinterCondition } from '../status';
import type { PrinterRecord } from './printerModel';
import { PrinterModel } from './printerModel';

export interface PrinterSimulatorOptions {
  condition?: Partial<PrinterCondition>;
  /** Lines left on the roll; the simulator runs out of paper after them. Endless by default. */
  paperLines?: number;
  /** Rewrite this JSON file with the record after every change, for out-of-process readers. */
  recordPath?: string;
}

export type PrinterSimulatorEvents = {
  /** A job was cut off (one slip finished). */
  job: [record: PrinterRecord];
  error: [error: Error];
};

/**
 * A thermal printer on the device end of a link (pty or TCP): it prints into a
 * record instead of onto paper and answers status queries with the same bytes a
 * printer sends.
 */
export class PrinterSimulator extends TypedEmitter<PrinterSimulatorEvents> {
  readonly model: PrinterModel;
  readonly #link: ByteLink;
  readonly #recordPath: string | undefined;
  #stalled = false;
  readonly #heldChunks: Buffer[] = [];

  constructor(link: ByteLink, options: PrinterSimulatorOptions = {}) {
    super();
    this.#link = link;
    this.model = new PrinterModel(options.condition, options.paperLines === undefined ? {} : { paperLines: options.paperLines });
    this.#recordPath = options.recordPath;
    link.on('data', (chunk) => this.#onData(chunk));
  }

  start(): void {
    this.#link.start();
    this.#save();
  }

  get record(): PrinterRecord {
    return this.model.record();
  }

  setCondition(patch: Partial<PrinterCondition>): void {
    this.model.setCondition(patch);
    this.#save();
  }

  /**
   * A stalled printer (firmware busy, a USB hub hung): bytes pile up unanswered, status
   * queries included, until `stall(false)` lets it take them as sent.
   */
  stall(stalled: boolean): void {
    this.#stalled = stalled;
    if (stalled) return;
    const held = this.#heldChunks.splice(0);
    for (const chunk of held) this.#onData(chunk);
  }

  get stalled(): boolean {
    return this.#stalled;
  }

  async close(): Promise<void> {
    await this.#link.close();
  }

  #onData(chunk: Buffer): void {
    if (this.#stalled) {
      this.#heldChunks.push(chunk);
      return;
    }
    const jobsBefore = this.model.record().jobs.length;
    const reply = this.model.receive(chunk);
    if (reply.length > 0) {
      this.#link.write(reply).catch((error: unknown) => {
        this.emit('error', error instanceof Error ? error : new Error(String(error)));
      });
    }
    const record = this.model.record();
    this.#save(record);
    if (record.jobs.length > jobsBefore) this.emit('job', record);
  }

  #save(record: PrinterRecord = this.model.record()): void {
    if (!this.#recordPath) return;
    // Write-then-rename so a reader never sees half a file.
    const temp = `${this.#recordPath}.tmp`;
    writeFileSync(temp, JSON.stringify(record, null, 2));
    renameSync(temp, this.#recordPath);
  }
}
