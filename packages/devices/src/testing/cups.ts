import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './freePort';

const run = promisify(execFile);

const CUPSD = '/usr/sbin/cupsd';
const LPADMIN = '/usr/sbin/lpadmin';
const CUPS_PDF_BACKEND = '/usr/lib/cups/backend/cups-pdf';
const CUPS_PDF_PPD = '/usr/share/ppd/cups-pdf/CUPS-PDF_noopt.ppd';
/** Where cups-pdf (its config is fixed at /etc/cups/cups-pdf.conf) puts jobs of users it does not know. */
export const CUPS_PDF_ANONYMOUS_DIR = '/var/spool/cups-pdf/ANONYMOUS';

export interface TestCups {
  /** IPP address of the PDF queue, for IppA4Printer. */
  url: string;
  queue: string;
  /** The PDF cups-pdf wrote for a job whose title contains `titlePart` (and that is not in `except`). */
  waitForPdf(titlePart: string, timeoutMs?: number, except?: ReadonlySet<string>): Promise<string>;
  /** The PDF files cups-pdf has written so far (names), to tell a new job's file from older ones. */
  pdfFiles(): Promise<Set<string>>;
  /** Stops the queue (cupsdisable): what a printer out of paper looks like to IPP. */
  stopQueue(): Promise<void>;
  startQueue(): Promise<void>;
  close(): Promise<void>;
}

/** Why a real CUPS cannot run here, or undefined when it can (the test says the reason when it skips). */
export function testCupsUnavailable(): string | undefined {
  for (const path of [CUPSD, LPADMIN, CUPS_PDF_BACKEND, CUPS_PDF_PPD]) if (!existsSync(path)) return `${path} is missing (apt-get install cups printer-driver-cups-pdf)`;
  if (process.getuid?.() !== 0) return 'cupsd and the cups-pdf backend need root';
  return undefined;
}


/**
 * A private cupsd (own config, spool and port; the machine's CUPS is left alone) with one
 * cups-pdf queue. cups-pdf only takes PostScript, and the PostScript of poppler's and
 * Ghostscript's converters loses which glyph is which character; cairo's keeps it, so the
 * queue converts with pdftocairo and the PDF that comes out still reads as text.
 */
export async function startTestCups(queue = 'hall-a4'): Promise<TestCups> {
  const unavailable = testCupsUnavailable();
  if (unavailable) throw new Error(unavailable);
  const root = await mkdtemp(join(tmpdir(), 'hall-cups-'));
  const dirs = Object.fromEntries(['conf', 'spool', 'cache', 'state', 'tmp', 'log'].map((d) => [d, join(root, d)])) as Record<string, string>;
  for (const dir of Object.values(dirs)) await mkdir(dir, { recursive: true });
  await chmod(root, 0o755);
  // Filters run as the `lp` user and write their temporary files here.
  await chmod(dirs.tmp as string, 0o1777);
  const port = await freePort();
  const cupsdConf = join(dirs.conf as string, 'cupsd.conf');
  const filesConf = join(dirs.conf as string, 'cups-files.conf');
  await writeFile(
    cupsdConf,
    [`Listen 127.0.0.1:${port}`, 'LogLevel warn', 'DefaultAuthType None', 'WebInterface No', '<Location />', '  Order allow,deny', '  Allow all', '</Location>', ''].join('\n'),
  );
  await writeFile(
    filesConf,
    [
      `ServerRoot ${dirs.conf}`,
      `RequestRoot ${dirs.spool}`,
      `CacheDir ${dirs.cache}`,
      `StateDir ${dirs.state}`,
      `TempDir ${dirs.tmp}`,
      `AccessLog ${join(dirs.log as string, 'access_log')}`,
      `ErrorLog ${join(dirs.log as string, 'error_log')}`,
      `PageLog ${join(dirs.log as string, 'page_log')}`,
      'Sandboxing Relaxed',
      '',
    ].join('\n'),
  );
  const cupsd: ChildProcess = spawn(CUPSD, ['-f', '-c', cupsdConf, '-s', filesConf], { stdio: 'ignore' });
  const host = `127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await run('/usr/bin/lpstat', ['-h', host, '-r']);
      break;
    } catch (error) {
      if (Date.now() > deadline || cupsd.exitCode !== null) {
        cupsd.kill();
        throw new Error(`cupsd did not start: ${String(error)}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  await run(LPADMIN, ['-h', host, '-p', queue, '-E', '-v', 'cups-pdf:/', '-P', CUPS_PDF_PPD, '-o', 'pdftops-renderer-default=pdftocairo']);

  const pdfFiles = async () => new Set((await readdir(CUPS_PDF_ANONYMOUS_DIR).catch(() => [])).filter((f) => f.endsWith('.pdf')));
  const atStart = await pdfFiles();
  const waitForPdf = async (titlePart: string, timeoutMs = 30_000, except: ReadonlySet<string> = new Set()): Promise<string> => {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const found = [...(await pdfFiles())].find((f) => f.includes(titlePart) && !except.has(f));
      if (found) {
        // cups-pdf writes the file through Ghostscript: wait until gs has finished it.
        const path = join(CUPS_PDF_ANONYMOUS_DIR, found);
        const { stdout } = await run('/usr/bin/pdfinfo', [path]).catch(() => ({ stdout: '' }));
        if (stdout.includes('Pages:')) return path;
      }
      if (Date.now() > until) throw new Error(`no PDF for "${titlePart}" in ${CUPS_PDF_ANONYMOUS_DIR} after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  return {
    url: `ipp://${host}/printers/${queue}`,
    queue,
    waitForPdf,
    pdfFiles,
    stopQueue: async () => void (await run('/usr/sbin/cupsdisable', ['-h', host, queue])),
    startQueue: async () => void (await run('/usr/sbin/cupsenable', ['-h', host, queue])),
    close: async () => {
      const exited = new Promise((r) => cupsd.once('exit', r));
      cupsd.kill('SIGTERM');
      await exited;
      await rm(root, { recursive: true, force: true });
      // The test's printouts (test citizens' forms) do not outlive it.
      for (const file of await pdfFiles()) if (!atStart.has(file)) await rm(join(CUPS_PDF_ANONYMOUS_DIR, file), { force: true });
    },
  };
}

/** The text of a PDF as pdftotext reads it, whitespace removed (CJK lines come out spaced by glyph runs). */
export async function pdfText(path: string): Promise<string> {
  const { stdout } = await run('/usr/bin/pdftotext', ['-raw', path, '-']);
  return stdout.replace(/\s+/g, '');
}
