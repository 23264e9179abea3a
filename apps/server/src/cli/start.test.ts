import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createPostgresDatabase } from '../testing/databases';

const startScript = fileURLToPath(new URL('./start.ts', import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), 'hall-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `npm start`'s entry point until it prints its banner, then stops it with SIGTERM. */
async function runServer(env: Record<string, string>): Promise<{ banner: string; health: Record<string, unknown>; exitCode: number | null }> {
  const child = spawn(process.execPath, ['--import', 'tsx', startScript], {
    env: { ...process.env, HALL_PORT: '0', HALL_LOG_LEVEL: 'warn', DATABASE_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setInterval(() => {
        const match = /listening on (http:\/\/\S+)/.exec(output);
        if (match?.[1]) {
          clearInterval(timer);
          resolve(match[1]);
        }
      }, 50);
      void exited.then((code) => {
        clearInterval(timer);
        reject(new Error(`server exited (${code}) before listening:\n${output}`));
      });
    });
    // The banner is a single console.log, so once its first line is seen all of it is.
    const health = (await (await fetch(`${url}/api/v1/health`)).json()) as Record<string, unknown>;
    child.kill('SIGTERM');
    return { banner: output, health, exitCode: await exited };
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

describe('npm start', () => {
  it('migrates and seeds a new SQLite file once, prints logins, and stops cleanly', async () => {
    const file = path.join(dir, 'sub', 'hall.sqlite');
    const first = await runServer({ HALL_DB_FILE: file });
    expect(first.exitCode).toBe(0);
    expect(first.health).toMatchObject({ status: 'ok', db: { dialect: 'sqlite' } });
    expect(first.banner).toContain('migrated: 001_initial');
    expect(first.banner).toMatch(/seeded demo hall/);
    expect(first.banner).toMatch(/Demo logins/);

    const second = await runServer({ HALL_DB_FILE: file });
    expect(second.exitCode).toBe(0);
    expect(second.banner).not.toContain('migrated:');
    expect(second.banner).not.toMatch(/seeded demo hall/);
  });

  it('runs on PostgreSQL when DATABASE_URL says so', async () => {
    const created = await createPostgresDatabase(inject('postgresUrl'));
    try {
      const run = await runServer({ DATABASE_URL: created.url });
      expect(run.exitCode).toBe(0);
      expect(run.health).toMatchObject({ status: 'ok', db: { dialect: 'postgres' } });
      expect(run.banner).toMatch(/PostgreSQL postgres:\/\/postgres:\*\*\*@/);
      expect(run.banner).toMatch(/seeded demo hall/);
    } finally {
      await created.drop();
    }
  });

  it('refuses a bad configuration with a message naming the variable', async () => {
    await expect(runServer({ HALL_PORT: 'eighty' })).rejects.toThrow(/HALL_PORT/);
    await expect(runServer({ DATABASE_URL: 'mysql://x' })).rejects.toThrow(/DATABASE_URL must start with postgres/);
  });
});
