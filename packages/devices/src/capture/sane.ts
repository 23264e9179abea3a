import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Sheet-fed and flatbed scanners through SANE's `scanimage` (Debian sane-utils).
 * We drive the command-line frontend rather than binding libsane: it is what a
 * technician can run by hand to check the same device, and a crash in a vendor
 * backend cannot take the station down with it.
 */

export interface SaneDevice {
  /** SANE device name, e.g. `fujitsu:fi-7160:1234` or `test:0`. */
  name: string;
  vendor: string;
  model: string;
  type: string;
}

export type ScanErrorCode =
  | 'unavailable' // scanimage missing
  | 'no-device'
  | 'busy'
  | 'no-documents'
  | 'jammed'
  | 'cover-open'
  | 'timeout'
  | 'failed';

export class ScanError extends Error {
  constructor(
    readonly code: ScanErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ScanError';
  }
}

export interface SaneEnvironment {
  /** Path of scanimage; `scanimage` from PATH by default. */
  command?: string;
  /**
   * The whole environment scanimage runs in, from the station's one reader of the
   * environment (SANE_CONFIG_DIR in it lets tests enable only the `test` backend);
   * this process's own when absent.
   */
  processEnv?: Readonly<Record<string, string | undefined>>;
  timeoutMs?: number;
}

export type ScanMode = 'Color' | 'Gray' | 'Lineart';

export interface ScanOptions extends SaneEnvironment {
  device: string;
  /** Pages to scan; the batch ends early when a feeder runs out. */
  pages: number;
  resolutionDpi?: number;
  mode?: ScanMode;
  format?: 'png' | 'pnm';
  /** e.g. `ADF Duplex`, `Automatic Document Feeder`; backend-specific. */
  source?: string;
  /** Backend options passed through verbatim, e.g. ['--test-picture', 'Grid']. */
  extraArgs?: string[];
}

export interface ScannedPage {
  index: number;
  format: 'png' | 'pnm';
  bytes: Uint8Array;
  resolutionDpi: number;
}

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], env: SaneEnvironment): Promise<RunResult> {
  const timeoutMs = env.timeoutMs ?? 60_000;
  return new Promise((resolve, reject) => {
    const child = spawn(env.command ?? 'scanimage', args, {
      ...(env.processEnv ? { env: env.processEnv } : {}),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      // Some backends report a cause and then hang (the test backend does on
      // "cover open"); name the cause when there is one.
      const cause = classifyScanFailure(stderr);
      const said = stderr.trim() ? ` after reporting: ${lastLine(stderr)}` : ' (it reported nothing)';
      reject(new ScanError(cause === 'failed' ? 'timeout' : cause, `scanimage: no result within ${timeoutMs} ms${said}`));
    }, timeoutMs);
    child.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        error.code === 'ENOENT'
          ? new ScanError('unavailable', `${env.command ?? 'scanimage'} not found: install sane-utils`)
          : error,
      );
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Maps scanimage's messages (SANE status strings) to our codes. */
export function classifyScanFailure(stderr: string): ScanErrorCode {
  if (/open of device .* failed|no SANE devices found|Invalid argument/i.test(stderr)) return 'no-device';
  if (/Device busy/i.test(stderr)) return 'busy';
  if (/out of documents|No documents/i.test(stderr)) return 'no-documents';
  if (/jammed/i.test(stderr)) return 'jammed';
  if (/cover is open/i.test(stderr)) return 'cover-open';
  return 'failed';
}

const lastLine = (text: string): string =>
  text
    .trim()
    .split('\n')
    .filter((line) => line.startsWith('scanimage:'))
    .at(-1) ?? text.trim().split('\n').at(-1) ?? '';

export async function listScanners(env: SaneEnvironment = {}): Promise<SaneDevice[]> {
  const { code, stdout, stderr } = await run(['--formatted-device-list=%d\t%v\t%m\t%t%n'], { timeoutMs: 15_000, ...env });
  if (code !== 0) throw new ScanError('failed', `scanimage -L failed: ${lastLine(stderr)}`);
  return stdout
    .split('\n')
    .filter((line) => line.includes('\t'))
    .map((line) => {
      const [name = '', vendor = '', model = '', type = ''] = line.split('\t');
      return { name, vendor, model, type };
    });
}

/**
 * Scans up to `pages` pages in one batch into memory. Rejects with ScanError;
 * a feeder that runs dry after at least one page ends the batch normally.
 */
export async function scanPages(options: ScanOptions): Promise<ScannedPage[]> {
  if (!Number.isInteger(options.pages) || options.pages < 1) throw new RangeError('pages must be a positive integer');
  const format = options.format ?? 'png';
  const resolutionDpi = options.resolutionDpi ?? 200;
  const dir = mkdtempSync(join(tmpdir(), 'hall-scan-'));
  try {
    const args = [
      `--device-name=${options.device}`,
      `--format=${format}`,
      `--batch=${join(dir, `page-%d.${format}`)}`,
      `--batch-count=${options.pages}`,
      '--batch-print',
      `--resolution=${resolutionDpi}`,
      `--mode=${options.mode ?? 'Gray'}`,
      ...(options.source ? [`--source=${options.source}`] : []),
      ...(options.extraArgs ?? []),
    ];
    const { code, stdout, stderr } = await run(args, options);
    const files = stdout
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line.startsWith(dir));
    if (files.length === 0) {
      const failure = classifyScanFailure(stderr);
      throw new ScanError(failure, `scan on ${options.device} failed (${failure}): ${lastLine(stderr)}`);
    }
    if (code !== 0 && classifyScanFailure(stderr) !== 'no-documents') {
      const failure = classifyScanFailure(stderr);
      throw new ScanError(failure, `scan on ${options.device} stopped after ${files.length} page(s): ${lastLine(stderr)}`);
    }
    return files.map((file, index) => ({ index, format, bytes: new Uint8Array(readFileSync(file)), resolutionDpi }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
