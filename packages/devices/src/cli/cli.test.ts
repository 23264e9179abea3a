import type { ChildProcess } from 'node:child_process';
import { execFile, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { LockBusSimulator } from '../locker/simulator';
import { SerialScannerSimulator } from '../scanner/simulator';
import { OnbonScreenSimulator } from '../screen/simulator';
import type { PtyHarness } from '../testing/ptyHarness';
import { openPtyHarness } from '../testing/ptyHarness';
import { main } from './main';

const run = promisify(execFile);
const cliPath = fileURLToPath(new URL('./hall-device.ts', import.meta.url));
const simPath = fileURLToPath(new URL('./sim.ts', import.meta.url));

async function cli(...args: string[]): Promise<{ code: number; lines: Record<string, unknown>[] }> {
  const result = await run(process.execPath, ['--import', 'tsx', cliPath, ...args]).catch(
    (error: { code: number; stdout: string }) => ({ stdout: error.stdout, code: error.code }),
  );
  const lines = result.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  return { code: 'code' in result ? result.code : 0, lines };
}

async function inProcess(...args: string[]): Promise<{ code: number; lines: Record<string, unknown>[] }> {
  const lines: Record<string, unknown>[] = [];
  const code = await main(args, (result) => lines.push(result as Record<string, unknown>));
  return { code, lines };
}

let harness: PtyHarness | undefined;
let child: ChildProcess | undefined;
afterEach(async () => {
  child?.kill('SIGTERM');
  child = undefined;
  await harness?.close();
  harness = undefined;
});

describe('hall-device CLI against simulators on a pty', () => {
  it('reads the example card from `sim idcard` and prints it masked', async () => {
    child = spawn(process.execPath, ['--import', 'tsx', simPath, 'idcard'], { stdio: ['pipe', 'pipe', 'inherit'] });
    const lines = createInterface({ input: child.stdout! });
    const ready = await new Promise<{ port: string }>((resolve) => {
      lines.on('line', (line) => {
        const event = JSON.parse(line) as { event: string; port: string };
        if (event.event === 'ready') resolve(event);
      });
    });
    const { code, lines: out } = await cli('idcard', 'read', '--port', ready.port, '--timeout', '1000');
    expect(code).toBe(0);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ ok: true, photoBytes: 1024, card: { kind: 'resident', name: '测***人', sex: '男' } });
    expect((out[0]?.['card'] as { idNumber: string }).idNumber).toMatch(/^1101\*{10}\d{3}[\dX]$/);
  });

  it('opens and queries lockers in-process through main(), exit code 1 for a jammed lock', async () => {
    harness = await openPtyHarness({ baudRate: 9600 });
    const sim = new LockBusSimulator(harness.device, { protocol: { kind: '8a80' }, boards: { 1: 24 } });
    sim.jam(1, 5);
    sim.start();
    await harness.device.waitOpen(2000);
    const port = harness.pair.hostPath;
    expect(await inProcess('locker', 'open', '--port', port, '--board', '1', '--lock', '3')).toEqual({
      code: 0,
      lines: [{ ok: true, result: { board: 1, lock: 3, opened: true } }],
    });
    expect((await inProcess('locker', 'open', '--port', port, '--board', '1', '--lock', '5')).code).toBe(1);
    expect(await inProcess('locker', 'status', '--port', port, '--board', '1')).toEqual({
      code: 0,
      lines: [{ ok: true, board: 1, open: [3], locks: 24 }],
    });
  });

  it('shows text on a screen and lists scans', async () => {
    harness = await openPtyHarness({ baudRate: 9600 });
    const screens = new OnbonScreenSimulator(harness.device, [3]);
    screens.start();
    await harness.device.waitOpen(2000);
    const shown = await cli('screen', 'show', '--port', harness.pair.hostPath, '--address', '3', '--text', 'A023 请到3号窗口');
    expect(shown.lines).toEqual([{ ok: true, address: 3, text: 'A023 请到3号窗口' }]);
    expect(screens.textAt(3)).toBe('A023 请到3号窗口');
    await screens.close();

    const h2 = await openPtyHarness();
    const scanner = new SerialScannerSimulator(h2.device);
    scanner.start();
    await h2.device.waitOpen(2000);
    // Keep scanning until the CLI has what it waits for (it may open the port late).
    let n = 0;
    const feeder = setInterval(() => void scanner.scan(`CODE-${++n}`).catch(() => undefined), 50);
    try {
      const scans = await cli('scanner', 'listen', '--port', h2.pair.hostPath, '--count', '2', '--timeout', '5000');
      expect(scans.code).toBe(0);
      expect(scans.lines).toHaveLength(2);
      expect(scans.lines.map((l) => (l['scan'] as { code: string }).code)).toEqual(
        expect.arrayContaining([expect.stringMatching(/^CODE-\d+$/)]),
      );
    } finally {
      clearInterval(feeder);
      await h2.close();
    }
  });

  it('reports usage errors as JSON with exit code 2', async () => {
    expect(await inProcess('locker', 'open', '--board', '1')).toEqual({
      code: 2,
      lines: [{ ok: false, error: { code: 'usage', message: '--port PATH or --tcp HOST:PORT is required' } }],
    });
    expect((await inProcess('nosuch', 'thing', '--port', '/dev/null')).lines[0]).toMatchObject({ error: { code: 'usage' } });
  });
});
