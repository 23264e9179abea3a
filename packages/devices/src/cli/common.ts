import { DeviceError } from '../transport/errors';
import type { ByteLink } from '../transport/link';
import { SerialLink } from '../transport/serialLink';
import { TcpLink } from '../transport/tcpLink';
import type { CliOptions } from './registry';

export class UsageError extends Error {}

/**
 * `--name value`, `--name=value` and bare `--flag` (when the next word is
 * another option or missing). node:util parseArgs cannot do this without a
 * declared option list, and the list differs per device class.
 */
export function parseCliArgs(argv: readonly string[]): { positionals: string[]; options: CliOptions } {
  const positionals: string[] = [];
  const options: CliOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] ?? '';
    if (!word.startsWith('--')) {
      positionals.push(word);
      continue;
    }
    const eq = word.indexOf('=');
    if (eq > 0) {
      options[word.slice(2, eq)] = word.slice(eq + 1);
      continue;
    }
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith('--')) {
      options[word.slice(2)] = next;
      i++;
    } else options[word.slice(2)] = true;
  }
  return { positionals, options };
}

export function numberOption(options: CliOptions, name: string, fallback?: number): number {
  const raw = options[name];
  if (raw === undefined || raw === true) {
    if (fallback === undefined) throw new UsageError(`--${name} is required`);
    return fallback;
  }
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new UsageError(`--${name} must be a number, got ${JSON.stringify(raw)}`);
  return value;
}

export function stringOption(options: CliOptions, name: string, fallback?: string): string {
  const raw = options[name];
  if (typeof raw === 'string') return raw;
  if (fallback === undefined) throw new UsageError(`--${name} is required`);
  return fallback;
}

/** The driver's link: --port PATH [--baud N] or --tcp HOST:PORT. */
export function hostLink(options: CliOptions, defaultBaud: number): ByteLink {
  const port = options['port'];
  const tcp = options['tcp'];
  if (typeof port === 'string') {
    return new SerialLink({ path: port, baudRate: numberOption(options, 'baud', defaultBaud), reopenIntervalMs: 200 });
  }
  if (typeof tcp === 'string') {
    const match = /^(?:(.+):)?(\d+)$/.exec(tcp);
    if (!match) throw new UsageError('--tcp must be HOST:PORT or PORT');
    return new TcpLink({ host: match[1] ?? '127.0.0.1', port: Number(match[2]), reopenIntervalMs: 200 });
  }
  throw new UsageError('--port PATH or --tcp HOST:PORT is required');
}

export function errorJson(error: unknown): { ok: false; error: { code: string; message: string } } {
  if (error instanceof DeviceError) return { ok: false, error: { code: error.code, message: error.message } };
  if (error instanceof UsageError) return { ok: false, error: { code: 'usage', message: error.message } };
  return { ok: false, error: { code: 'internal', message: error instanceof Error ? error.message : String(error) } };
}

export function printJson(result: object): void {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
