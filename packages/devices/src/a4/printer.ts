import type { DeviceHealth } from '../health';

/**
 * Why a page did not come out, in words a screen can translate:
 * `unreachable` — no print server answers; `paper-out`, `jammed`, `stopped` — the printer
 * says so; `refused` — the print server answered but would not take the job.
 */
export type A4PrintErrorCode = 'unreachable' | 'timeout' | 'paper-out' | 'jammed' | 'stopped' | 'refused';

export interface A4PrintJob {
  /** A finished PDF (renderA4Document). */
  pdf: Uint8Array;
  /** Shown in the print queue; never personal data (use the form's name and a case number). */
  title: string;
}

export type A4PrintResult =
  | { ok: true; jobId: number }
  | { ok: false; error: { code: A4PrintErrorCode; message: string } };

export type A4PrinterEvents = { health: [health: DeviceHealth] };

/** An office printer for A4 documents (application forms), beside the thermal slip printer. */
export interface A4Printer {
  readonly description: string;
  readonly health: DeviceHealth;
  /** Asks the printer for its state now (updates `health`). */
  refresh(): Promise<DeviceHealth>;
  print(job: A4PrintJob): Promise<A4PrintResult>;
  on<K extends keyof A4PrinterEvents & string>(event: K, listener: (...args: A4PrinterEvents[K]) => void): unknown;
  close(): Promise<void>;
}
