// The central API as its own process (`npm run start:api`'s entry point), so fault tests can
// kill -9 it as a power cut or an OOM kill would, not only close it politely. It keeps its
// port across restarts, so a fault proxy in front of it keeps pointing at the right place.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase, type DialectName, type HallDatabase } from '../../apps/server/src/db/connection';
import { migrate } from '../../apps/server/src/db/migrate';
import { seedDemoHall } from '../../apps/server/src/demo/seed';
import { createPostgresDatabase } from '../../apps/server/src/testing/databases';
import { FIXTURE_PASSWORD, fixtureHall } from '../../apps/server/src/testing/fixture';
import { HALL_ID } from './harness';
import { freePort } from '@hall/devices/testing';

const startScript = fileURLToPath(new URL('../../apps/server/src/cli/start.ts', import.meta.url));
const READY_MS = 30_000;

/** How one process of the central API ended. */
export interface CentralExit {
  pid: number;
  code: number | null;
  signal: NodeJS.Signals | null;
}


const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface ChildCentralOptions {
  dialect?: DialectName;
  /** Required for postgres: the server on which a fresh database is created for this central. */
  postgresAdminUrl?: string;
}

export class ChildCentral {
  private child: ChildProcess | undefined;
  private output = '';
  private token: string | undefined;
  /** Every process that ended, in order: the evidence that a kill -9 was a kill -9. */
  readonly exits: CentralExit[] = [];

  private constructor(
    readonly port: number,
    readonly location: { dialect: DialectName; file?: string; url?: string },
    /** The test's own connection to the central's database, for reading what it recorded. */
    readonly database: HallDatabase,
    private readonly dispose: () => Promise<void>,
  ) {}

  /**
   * Creates and seeds the database in this process (the fixture hall, as the in-process
   * central has), then starts the API on a port chosen now and kept for its whole life.
   */
  static async start(options: ChildCentralOptions = {}): Promise<ChildCentral> {
    const dialect = options.dialect ?? 'sqlite';
    let location: ChildCentral['location'];
    let dispose: () => Promise<void>;
    if (dialect === 'postgres') {
      if (!options.postgresAdminUrl) throw new Error('postgresAdminUrl is required for postgres');
      const created = await createPostgresDatabase(options.postgresAdminUrl);
      location = { dialect, url: created.url };
      dispose = created.drop;
    } else {
      const dir = mkdtempSync(join(tmpdir(), 'hall-central-child-'));
      location = { dialect, file: join(dir, 'hall.sqlite') };
      dispose = async () => rmSync(dir, { recursive: true, force: true });
    }
    const database =
      location.url !== undefined ? openDatabase({ dialect: 'postgres', url: location.url, poolSize: 4 }) : openDatabase({ dialect: 'sqlite', file: location.file ?? '' });
    try {
      await migrate(database);
      await seedDemoHall(database.db, fixtureHall('t1'));
      const central = new ChildCentral(await freePort(), location, database, dispose);
      await central.spawn();
      return central;
    } catch (error) {
      await database.close();
      await dispose();
      throw error;
    }
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  private async spawn(): Promise<void> {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      HALL_HOST: '127.0.0.1',
      HALL_PORT: String(this.port),
      HALL_LOG_LEVEL: 'warn',
      // The database is seeded with the fixture hall above; the demo hall would be a second one.
      HALL_SEED_DEMO: '0',
      DATABASE_URL: this.location.url ?? '',
      HALL_DB_FILE: this.location.file ?? '',
    };
    const child = spawn(process.execPath, ['--import', 'tsx', startScript], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.output = '';
    const keep = (chunk: Buffer) => {
      // Only the tail: enough to say why a start failed.
      this.output = (this.output + chunk.toString()).slice(-4000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const pid = child.pid ?? -1;
    child.once('exit', (code, signal) => {
      this.exits.push({ pid, code, signal });
      if (this.child === child) this.child = undefined;
    });
    const until = Date.now() + READY_MS;
    while (Date.now() < until) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`central API exited during start (${child.exitCode ?? child.signalCode}):\n${this.output}`);
      try {
        const response = await fetch(`${this.url}/api/v1/health`, { signal: AbortSignal.timeout(1000) });
        // Another process could hold the port; only our own child's answer counts as ready.
        if (response.ok && this.output.includes(`listening on ${this.url}`)) return;
      } catch {
        // not listening yet
      }
      await sleep(50);
    }
    child.kill('SIGKILL');
    throw new Error(`central API not ready within ${READY_MS} ms:\n${this.output}`);
  }

  private async stop(signal: 'SIGKILL' | 'SIGTERM'): Promise<CentralExit> {
    const child = this.child;
    if (!child) throw new Error('central API is not running');
    const before = this.exits.length;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    await gone;
    const exit = this.exits[before];
    if (!exit) throw new Error('central API exit not recorded');
    return exit;
  }

  /** kill -9 and start again on the same database and port; returns how the old process ended and the new pid. */
  async kill9(): Promise<{ exit: CentralExit; newPid: number }> {
    const exit = await this.stop('SIGKILL');
    await this.spawn();
    return { exit, newPid: this.pid ?? -1 };
  }

  /** SIGTERM (the server closes HTTP and its database and exits 0), then start again. */
  async restart(): Promise<{ exit: CentralExit; newPid: number }> {
    const exit = await this.stop('SIGTERM');
    await this.spawn();
    return { exit, newPid: this.pid ?? -1 };
  }

  /** Creates a device over the admin API, as the console does, and returns its one-time enrollment code. */
  async enrollmentCode(id: string, role: 'kiosk' | 'counter' | 'display' | 'locker', counterId?: string): Promise<string> {
    if (!this.token) {
      const login = await fetch(`${this.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ login: 't1-manager', password: FIXTURE_PASSWORD }),
      });
      if (!login.ok) throw new Error(`login: ${login.status} ${await login.text()}`);
      this.token = ((await login.json()) as { token: string }).token;
    }
    const created = await fetch(`${this.url}/api/v1/sync/devices`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.token}` },
      body: JSON.stringify({ id, hallId: HALL_ID, role, name: id, ...(counterId ? { counterId } : {}) }),
    });
    if (created.status !== 201) throw new Error(`device ${id}: ${created.status} ${await created.text()}`);
    return ((await created.json()) as { enrollmentCode: string }).enrollmentCode;
  }

  async close(): Promise<void> {
    if (this.child) await this.stop('SIGKILL');
    await this.database.close();
    await this.dispose();
  }
}
