import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildRendererIfStale } from '../../../scripts/renderers';
import { E2E_PLATFORM_KEY } from '../harness/central';
import { makeTestIdNumber, tokenFromFragment } from '@hall/shared';
import { freePort } from '@hall/devices/testing';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
/** Builds the kiosk renderer when its sources (or the shared UI) changed since the last build. */
export function ensureRendererBuilt(): void {
  buildRendererIfStale('kiosk');
}


/** A child Node process running a TypeScript entry point; resolves once `ready` matches its output. */
async function startProcess(entry: string, env: NodeJS.ProcessEnv, ready: RegExp, args: string[] = []): Promise<{ child: ChildProcess; output: () => string; match: RegExpMatchArray }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, entry), ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const match = await new Promise<RegExpMatchArray>((resolveMatch, reject) => {
    const timer = setTimeout(() => reject(new Error(`${entry} did not start within 30 s:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const found = output.match(ready);
      if (found) {
        clearTimeout(timer);
        resolveMatch(found);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited with ${code}:\n${output}`));
    });
  });
  child.removeAllListeners('exit');
  return { child, output: () => output, match };
}

async function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolveStop) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolveStop();
    });
    child.kill('SIGTERM');
  });
}

/** The real central API (demo hall, SQLite in a temp dir), stoppable and restartable on the same port. */
export class CentralApi {
  private child: ChildProcess | undefined;
  private constructor(
    readonly port: number,
    /** The API's SQLite file, for fixtures no endpoint creates (blacklist entries). */
    readonly dbFile: string,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  static async start(dir: string): Promise<CentralApi> {
    const api = new CentralApi(await freePort(), join(dir, 'hall.sqlite'));
    await api.restart();
    return api;
  }

  async restart(): Promise<void> {
    const { child } = await startProcess(
      'apps/server/src/cli/start.ts',
      { HALL_DB_FILE: this.dbFile, HALL_PORT: String(this.port), HALL_HOST: '127.0.0.1', HALL_LOG_LEVEL: 'error', HALL_SEED_DEMO: '1', HALL_CITIZEN_PLATFORM_KEY: E2E_PLATFORM_KEY },
      /is listening on/,
    );
    this.child = child;
  }

  /** The process id of the running API (what the signals below go to). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /**
   * SIGSTOP: the data centre hangs. The kernel still accepts connections on its port, but
   * nothing answers: every request waits until its client gives up (unlike a stopped API,
   * which refuses at once).
   */
  freeze(): void {
    this.signal('SIGSTOP');
  }

  /** SIGCONT: the frozen API runs again and answers what it was sent meanwhile. */
  thaw(): void {
    this.signal('SIGCONT');
  }

  /** SIGKILL: the API dies on the spot (no shutdown, database as it was on disk). Restart with restart(). */
  async kill(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
    child.kill('SIGKILL');
    await exited;
  }

  private signal(signal: NodeJS.Signals): void {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) throw new Error(`the central API is not running (${signal})`);
    child.kill(signal);
  }

  async stop(): Promise<void> {
    // A frozen API would only take SIGTERM once continued.
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGCONT');
    await stopProcess(this.child);
    this.child = undefined;
  }
}

/** Issues a residence code as the citizen platform does: by its key (staff are refused). */
export async function asCitizenPlatform(api: CentralApi, idNumber: string, fields?: { name: string; address: string; phone?: string }): Promise<string> {
  const response = await fetch(`${api.url}/api/v1/residence-codes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-citizen-platform-key': E2E_PLATFORM_KEY },
    body: JSON.stringify({ idNumber, ...fields }),
  });
  if (response.status !== 201) throw new Error(`residence code: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { code: string }).code;
}

/** Calls the central API as the demo hall manager (booking appointments, reading them back). */
export async function asHallManager(api: CentralApi, method: 'GET' | 'POST', path: string, body?: unknown): Promise<Record<string, unknown>> {
  const call = async (m: string, p: string, b: unknown, token?: string) => {
    const response = await fetch(`${api.url}/api/v1${p}`, {
      method: m,
      headers: { ...(b === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(b === undefined ? {} : { body: JSON.stringify(b) }),
    });
    const json = (await response.json()) as Record<string, unknown>;
    if (!response.ok) throw new Error(`${m} ${p}: ${response.status} ${JSON.stringify(json)}`);
    return json;
  };
  const { token } = await call('POST', '/auth/login', { login: 'hallmanager', password: 'demo-hallmanager' });
  return call(method, path, body, String(token));
}

/** The city key the test kiosk hashes citizens with (so a test can compute a blacklist hash). */
export const E2E_ID_HASH_KEY = 'e2e-city-key';

/** The kiosk station in browser mode with every device simulated over socat pty pairs. */
export class KioskStation {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    readonly simUrl: string,
    readonly output: () => string,
  ) {}

  /** `syncPollMs` short (tests notice outages and returns fast) or undefined (the station's defaults). */
  static async start(
    api: CentralApi,
    dir: string,
    deviceId = 'kiosk-e2e-1',
    syncPollMs: number | undefined = 400,
    /** Overrides, e.g. HALL_KIOSK_IGNORE_HOURS: '0' for a kiosk that keeps the hall's opening hours. */
    env: NodeJS.ProcessEnv = {},
  ): Promise<KioskStation> {
    const { child, output, match } = await startProcess(
      'apps/kiosk/src/main/browser.ts',
      {
        HALL_API_URL: api.url,
        HALL_DEVICE_ID: deviceId,
        HALL_KIOSK_DATA_DIR: join(dir, 'kiosk'),
        HALL_KIOSK_PORT: '0',
        HALL_KIOSK_IGNORE_HOURS: '1',
        HALL_ID_HASH_KEY: E2E_ID_HASH_KEY,
        ...(syncPollMs === undefined ? {} : { HALL_KIOSK_SYNC_POLL_MS: String(syncPollMs) }),
        ...env,
      },
      /kiosk: (http:\/\/\S+)\nsimulators: (http:\/\/\S+)/,
    );
    return new KioskStation(child, match[1]!, match[2]!, output);
  }

  /** The simulators want the station's token (the one in its page URL) as a bearer. */
  private simHeaders(): Record<string, string> {
    return { authorization: `Bearer ${tokenFromFragment(new URL(this.url).hash) ?? ''}` };
  }

  async sim(path: string, body?: unknown, method = 'POST'): Promise<Record<string, unknown>> {
    const response = await fetch(this.simUrl + path, {
      method,
      headers: this.simHeaders(),
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = (await response.json()) as Record<string, unknown>;
    if (!response.ok) throw new Error(`simulator ${path}: ${JSON.stringify(json)}`);
    return json;
  }

  /** Places a generated test ID card on the simulated reader; returns its (test) number. */
  /**
   * The ID number placeCard would put on the reader, without placing it: a card placed while
   * the kiosk shows home starts "take a ticket" there, which a test only booking for that
   * citizen must not race against.
   */
  cardIdNumber(card: { birthDate?: string; sex?: 'male' | 'female'; sequence?: number } = {}): string {
    return makeTestIdNumber({ regionCode: '441502', birthDate: card.birthDate, sex: card.sex, sequence: card.sequence });
  }

  async placeCard(card: { birthDate?: string; name?: string; sex?: 'male' | 'female'; sequence?: number } = {}): Promise<string> {
    return String((await this.sim('/idcard', card)).idNumber);
  }

  async removeCard(): Promise<void> {
    await this.sim('/idcard', undefined, 'DELETE');
  }

  /** Text lines of every job the simulated printer has cut, oldest first. */
  async printedJobs(): Promise<string[][]> {
    const record = (await this.sim('/printer', undefined, 'GET')) as unknown as { jobs: { items: { type: string; text?: string; payload?: string }[] }[] };
    return record.jobs.map((job) => job.items.flatMap((item) => (item.type === 'text' && item.text ? [item.text] : item.type === 'qr' && item.payload ? [`[QR] ${item.payload}`] : [])));
  }

  async setPrinter(condition: { paperOut?: boolean; coverOpen?: boolean }): Promise<void> {
    await this.sim('/printer/condition', condition);
  }

  async stop(): Promise<void> {
    await stopProcess(this.child);
  }
}

export function tempDir(): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), 'kiosk-e2e-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
