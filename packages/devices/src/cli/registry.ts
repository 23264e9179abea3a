/**
 * Device classes known to the `hall-device` CLI and to `npm run sim`.
 *
 * To add a class (printer helper: this is for you): write `cli/<class>.ts`
 * exporting a `DeviceCliEntry` — `commands` for `hall-device <class> <command>`,
 * `simulator` for `npm run sim -- <class>` — then add one import and one entry
 * to `entries` at the bottom of this file. Nothing else needs to change: the CLI
 * builds its help text, option parsing, link opening and JSON output from here.
 * Report a failed result with `context.fail()` (exit code 1) rather than setting
 * process.exitCode, so `main()` can also run in-process in tests.
 */
import type { ByteLink } from '../transport/link';
import { idcardCli } from './idcard';
import { lockerCli } from './locker';
import { scannerCli } from './scanner';
import { screenCli } from './screen';
import { printerCli } from '../printer/cli';

export type CliOptions = Record<string, string | boolean | undefined>;

export interface CommandContext {
  /** The link named by --port PATH (serial) or --tcp HOST:PORT, not yet started. */
  link(): ByteLink;
  options: CliOptions;
  /** Prints one JSON object on its own line. */
  print(result: object): void;
  /** Marks the run as failed (exit code 1) after printing why. */
  fail(): void;
  /** Option as a number, with a default; throws a usage error on non-numbers. */
  number(name: string, fallback?: number): number;
  string(name: string, fallback?: string): string;
}

export interface CliCommand {
  /** e.g. "--board N --lock N" */
  usage: string;
  run(context: CommandContext): Promise<void>;
}

export interface SimulatorContext {
  /** The device end: --port PATH, a TCP server on --tcp PORT, or a fresh pty pair. */
  link: ByteLink;
  options: CliOptions;
  print(event: object): void;
  number(name: string, fallback?: number): number;
  string(name: string, fallback?: string): string;
}

export interface RunningSimulator {
  close(): Promise<void>;
}

export interface DeviceCliEntry {
  name: string;
  description: string;
  commands: Record<string, CliCommand>;
  simulator?: {
    usage: string;
    /** Default baud rate of the real device (used for --port). */
    baudRate?: number;
    start(context: SimulatorContext): Promise<RunningSimulator>;
  };
}

const entries: DeviceCliEntry[] = [idcardCli, scannerCli, lockerCli, screenCli, printerCli];

export const registry: ReadonlyMap<string, DeviceCliEntry> = new Map(entries.map((e) => [e.name, e]));
