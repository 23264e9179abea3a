import type { DeviceHealth } from '../health';
import type { DeviceError } from '../transport/errors';
import type { TypedEmitter } from '../transport/typedEmitter';

export type ScanSource = 'serial' | 'hid-pos' | 'keyboard-wedge';

export interface Scan {
  code: string;
  source: ScanSource;
  /** AIM symbology identifier (e.g. "]Q1" for QR) when the scanner sends one. */
  symbology?: string;
  /** ms since epoch. */
  at: number;
}

export type CodeScannerEvents = {
  /** Exactly one per scanned code. */
  scan: [scan: Scan];
  /** Keyboard-wedge input that looked like a person typing, not a scanner. */
  typing: [text: string];
  error: [error: DeviceError];
  health: [health: DeviceHealth];
};

export interface CodeScanner extends Pick<TypedEmitter<CodeScannerEvents>, 'on' | 'off' | 'once'> {
  start(): void;
  readonly health: DeviceHealth;
  close(): Promise<void>;
}

/** Resolves with the next `count` scans (the CLI's `scanner listen --count N`). */
export function collectScans(scanner: CodeScanner, count: number, onScan?: (scan: Scan) => void): Promise<Scan[]> {
  return new Promise((resolve) => {
    const scans: Scan[] = [];
    const listener = (scan: Scan): void => {
      scans.push(scan);
      onScan?.(scan);
      if (scans.length >= count) {
        scanner.off('scan', listener);
        resolve(scans);
      }
    };
    scanner.on('scan', listener);
  });
}
