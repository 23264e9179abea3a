import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { PrinterRecord } from './sim/printerModel';

const run = promisify(execFile);
const cliPath = fileURLToPath(new URL('../cli/hall-device.ts', import.meta.url));
const simPath = fileURLToPath(new URL('../cli/sim.ts', import.meta.url));

async function cli(...args: string[]): Promise<{ code: number; lines: Record<string, unknown>[] }> {
  const result = await run(process.execPath, ['--import', 'tsx', cliPath, ...args]).then(
    (ok) => ({ stdout: ok.stdout, code: 0 }),
    (error: { code: number; stdout: string }) => ({ stdout: error.stdout, code: error.code }),
  );
  const lines = result.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  return { code: result.code, lines };
}

let sim: ChildProcessWithoutNullStreams | undefined;
const dir = mkdtempSync(join(tmpdir(), 'hall-printer-cli-'));
afterEach(() => {
  sim?.kill('SIGTERM');
  sim = undefined;
});

/** Starts `npm run sim -- printer` (via tsx) and collects its JSON events. */
async function startSim(...args: string[]): Promise<{ ready: Record<string, unknown>; events: Record<string, unknown>[] }> {
  const child = spawn(process.execPath, ['--import', 'tsx', simPath, 'printer', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  sim = child;
  const events: Record<string, unknown>[] = [];
  const ready = await new Promise<Record<string, unknown>>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const event = JSON.parse(line) as Record<string, unknown>;
      events.push(event);
      if (event['event'] === 'ready') resolve(event);
    });
  });
  return { ready, events };
}

describe('hall-device printer against `npm run sim -- printer`', () => {
  it('prints a ticket over TCP, reports status, then a clear error once paper runs out', async () => {
    const recordPath = join(dir, 'record.json');
    const { ready, events } = await startSim('--tcp', '0', '--record', recordPath);
    const tcp = `127.0.0.1:${String(ready['tcp'])}`;
    const svgPath = join(dir, 'ticket.svg');

    const printed = await cli('printer', 'ticket', '--number', 'A023', '--service', '户籍证明', '--ahead', '5', '--tcp', tcp, '--svg', svgPath);
    expect(printed).toEqual({ code: 0, lines: [{ ok: true, number: 'A023', bytes: expect.any(Number), health: expect.objectContaining({ state: 'ok' }) }] });
    const record = JSON.parse(readFileSync(recordPath, 'utf8')) as PrinterRecord;
    expect(record.jobs).toHaveLength(1);
    expect(record.jobs[0]?.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'text', text: 'A023', width: 4 }),
        expect.objectContaining({ type: 'text', text: '您前面还有 5 人等候' }),
        expect.objectContaining({ type: 'qr', payload: 'https://hall.example/q/A023' }),
      ]),
    );
    expect(readFileSync(svgPath, 'utf8')).toContain('>A023<');
    expect(events).toContainEqual(expect.objectContaining({ event: 'printed', cut: 'partial' }));

    sim?.stdin.write('paper-out\n');
    await expect.poll(() => events.some((e) => e['event'] === 'condition')).toBe(true);
    const status = await cli('printer', 'status', '--tcp', tcp);
    expect(status.code).toBe(1);
    expect(status.lines[0]).toMatchObject({ ok: true, health: { state: 'paper-out', canPrint: false } });
    const refused = await cli('printer', 'ticket', '--number', 'A024', '--service', '户籍证明', '--tcp', tcp);
    expect(refused).toEqual({
      code: 1,
      lines: [{ ok: false, number: 'A024', error: { code: 'paper-out', message: expect.stringMatching(/out of paper/) }, partial: false }],
    });
    expect((JSON.parse(readFileSync(recordPath, 'utf8')) as PrinterRecord).jobs).toHaveLength(1);
  });

  it('rejects a bad ticket number as a usage-level error without touching the printer', async () => {
    const result = await cli('printer', 'ticket', '--number', '23', '--service', '户籍证明', '--tcp', '127.0.0.1:9');
    expect(result).toEqual({
      code: 2,
      lines: [{ ok: false, error: { code: 'usage', message: 'invalid ticket: number: ticket number like A023' } }],
    });
  });
});

process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
