import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HealthTracker, type DeviceHealth } from '../health';
import { TypedEmitter } from '../transport/typedEmitter';
import type { A4Printer, A4PrinterEvents, A4PrintJob, A4PrintResult } from './printer';

/**
 * The `simulated` A4 printer of a demo hall: each job becomes a PDF file in a folder, the
 * same bytes a CUPS queue would get. `paperOut` lets a demo show the fault.
 */
export class FileA4Printer extends TypedEmitter<A4PrinterEvents> implements A4Printer {
  readonly description: string;
  readonly #tracker = new HealthTracker('a4-printer');
  #paperOut = false;

  constructor(private readonly directory: string) {
    super();
    this.description = `PDF files in ${directory}`;
    this.#tracker.setConnected(true);
    this.#tracker.on('health', (health) => this.emit('health', health));
  }

  get health(): DeviceHealth {
    return this.#tracker.current;
  }

  setPaperOut(out: boolean): void {
    this.#paperOut = out;
    if (out) this.#tracker.raise({ code: 'paper-out', level: 'error', message: 'simulated paper out' });
    else this.#tracker.clear('paper-out');
  }

  refresh(): Promise<DeviceHealth> {
    return Promise.resolve(this.health);
  }

  async print(job: A4PrintJob): Promise<A4PrintResult> {
    if (this.#paperOut) return { ok: false, error: { code: 'paper-out', message: 'simulated paper out' } };
    await mkdir(this.directory, { recursive: true });
    const jobId = (await readdir(this.directory)).length + 1;
    const safeTitle = job.title.replace(/[^\p{L}\p{N}_-]+/gu, '_').slice(0, 60);
    await writeFile(join(this.directory, `${String(jobId).padStart(4, '0')}-${safeTitle}.pdf`), job.pdf);
    return { ok: true, jobId };
  }

  async close(): Promise<void> {
    // Nothing held open.
  }
}
