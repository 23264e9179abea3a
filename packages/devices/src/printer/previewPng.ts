import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PngOptions {
  /** Chromium binary; /usr/bin/chromium by default. */
  chromium?: string;
  timeoutMs?: number;
}

/**
 * Rasterises a slip preview SVG to PNG with headless Chromium, for places that
 * need a bitmap (a ticket image in a bug report, a display without SVG). We use
 * the browser already installed for kiosks rather than a native rasteriser
 * dependency, and it has the CJK fonts the preview names. Takes about a second.
 */
export async function previewSvgToPng(svg: string, options: PngOptions = {}): Promise<Uint8Array> {
  const size = /<svg[^>]*\swidth="(\d+)"[^>]*\sheight="(\d+)"/.exec(svg);
  if (!size) throw new RangeError('SVG needs numeric width and height attributes');
  const dir = mkdtempSync(join(tmpdir(), 'hall-preview-'));
  try {
    const svgPath = join(dir, 'slip.svg');
    const pngPath = join(dir, 'slip.png');
    writeFileSync(svgPath, svg);
    const args = [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--hide-scrollbars',
      '--force-device-scale-factor=1',
      `--user-data-dir=${join(dir, 'profile')}`,
      `--window-size=${size[1]},${size[2]}`,
      `--screenshot=${pngPath}`,
      `file://${svgPath}`,
    ];
    const chromium = options.chromium ?? '/usr/bin/chromium';
    await new Promise<void>((resolve, reject) => {
      const child = spawn(chromium, args, { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
      const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.once('close', (code) => {
        clearTimeout(timer);
        if (code === 0) resolve();
        else reject(new Error(`chromium exited with ${code}: ${stderr.trim().split('\n').at(-1) ?? ''}`));
      });
    });
    return new Uint8Array(readFileSync(pngPath));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
