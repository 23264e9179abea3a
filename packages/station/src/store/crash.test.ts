import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { emptyHallState, applyChange, parseIntent, type Catalogue } from '@hall/shared';
import { stationExecutor } from '../core';
import { seededRandom, seedFromEnv } from '../testing/random';

const worker = fileURLToPath(new URL('../testing/crashWorker.ts', import.meta.url));

/** Runs the worker until it is ready, lets it commit for `ms`, then SIGKILLs it. */
function runAndKill(file: string, seed: number, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', worker, file, String(seed)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) setTimeout(() => child.kill('SIGKILL'), ms);
    });
    child.on('exit', (_code, signal) => {
      if (signal === 'SIGKILL') resolve();
      else reject(new Error(`worker exited on its own: ${stderr}`));
    });
  });
}

interface Check {
  mutations: number;
}

/** The durable invariants: intact file, gap-free outbox, live state == replay of the outbox. */
function check(file: string): Check {
  const db = new Database(file, { readonly: true });
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const seqs = db.prepare('SELECT seq FROM outbox ORDER BY seq').pluck().all() as number[];
    seqs.forEach((seq, i) => expect(seq).toBe(i + 1));
    const nextSeq = Number(db.prepare(`SELECT value FROM meta WHERE key = 'nextSeq'`).pluck().get());
    expect(nextSeq).toBe(seqs.length + 1);

    const items = db.prepare('SELECT kind, data FROM catalogue_items').all() as { kind: string; data: string }[];
    const of = (kind: string) => items.filter((r) => r.kind === kind).map((r) => JSON.parse(r.data));
    const catalogue = {
      hall: of('hall')[0],
      callingRules: of('callingRules')[0],
      services: of('service'),
      queues: of('queue'),
      counters: of('counter'),
      forms: [],
      version: 'x',
    } as Catalogue;

    // Every outbox row has its effect and every effect has its row.
    const replayed = emptyHallState();
    const rows = db.prepare('SELECT type, payload FROM outbox ORDER BY seq').all() as { type: string; payload: string }[];
    for (const row of rows) {
      const parsed = parseIntent(row.type, JSON.parse(row.payload));
      if (!parsed.ok) throw new Error(parsed.error);
      const result = stationExecutor(replayed, parsed.intent, catalogue);
      expect(result.ok).toBe(true);
      if (result.ok) for (const change of result.changes) applyChange(replayed, change);
    }
    const live = (table: string) =>
      Object.fromEntries(
        (db.prepare(`SELECT id, data FROM ${table} WHERE layer = 'live'`).all() as { id: string; data: string }[]).map((r) => [r.id, JSON.parse(r.data)]),
      );
    expect(live('tickets')).toEqual(replayed.queue.tickets);
    expect(live('counters')).toEqual(replayed.queue.counters);

    // Numbers taken from the lease match the tickets issued.
    const block = db.prepare(`SELECT start, next FROM number_blocks WHERE queue_id = 'qA'`).get() as { start: number; next: number };
    expect(block.next - block.start).toBe(Object.keys(replayed.queue.tickets).length);
    return { mutations: seqs.length };
  } finally {
    db.close();
  }
}

describe('kill -9 safety of local commits', () => {
  it('restarts after SIGKILL at random points with nothing lost and nothing half-written', async () => {
    const seed = seedFromEnv('HALL_FAULT_SEED');
    console.warn(`kill -9 test seed ${seed} (HALL_FAULT_SEED=${seed} replays)`);
    const random = seededRandom(seed);
    const file = join(mkdtempSync(join(tmpdir(), 'station-crash-')), 'station.db');
    let last = 0;
    const rounds = Number(process.env.HALL_CRASH_ROUNDS ?? 6);
    for (let round = 0; round < rounds; round++) {
      await runAndKill(file, Math.floor(random() * 2 ** 31), 30 + Math.floor(random() * 250));
      const { mutations } = check(file);
      expect(mutations).toBeGreaterThanOrEqual(last);
      last = mutations;
    }
    // The loop must actually have been killed mid-work, not idle.
    console.warn(`kill -9 test: ${last} mutations over ${rounds} kills`);
    expect(last).toBeGreaterThan(rounds);
  }, 120_000);
});
