// `npm start`: the whole demo hall on one machine — the central API on SQLite, then a
// kiosk, two counters and the wall display in browser mode with simulated devices —
// and prints where each screen is. Ctrl-C stops everything.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stationPageUrl } from '@hall/shared';
import { buildRendererIfStale, type RendererApp } from './renderers';

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const env = process.env;
const apiPort = Number(env.HALL_PORT ?? 8080);
const apiUrl = `http://127.0.0.1:${apiPort}`;
// Residence codes are issued to the citizen platform only (never to staff): the demo plays the
// platform with a key of its own, made per run unless given.
const platformKey = env.HALL_CITIZEN_PLATFORM_KEY ?? randomBytes(33).toString('base64url');
const hallId = env.HALL_ID ?? 'hall.shanwei-psb';
const dataRoot = resolve(env.HALL_DATA_DIR ?? join(repoRoot, '.data'));
const managerLogin = env.HALL_DEMO_LOGIN ?? 'hallmanager';
const managerPassword = env.HALL_DEMO_PASSWORD ?? `demo-${managerLogin}`;

interface StationPlan {
  app: RendererApp;
  deviceId: string;
  role: 'kiosk' | 'counter' | 'display';
  port: number;
  counterId?: string;
  label: string;
  entry: string;
  configArgs: (configPath: string) => string[];
}

const stations: StationPlan[] = [
  { app: 'kiosk', deviceId: 'kiosk-1', role: 'kiosk', port: 5173, label: '自助取号机 kiosk', entry: 'apps/kiosk/src/main/browser.ts', configArgs: (p) => ['--config', p] },
  { app: 'counter', deviceId: 'counter-1', role: 'counter', counterId: 'counter.1', port: 5174, label: '1号窗口 counter 1', entry: 'apps/counter/src/main/browser.ts', configArgs: (p) => [p] },
  { app: 'counter', deviceId: 'counter-2', role: 'counter', counterId: 'counter.2', port: 5176, label: '2号窗口 counter 2', entry: 'apps/counter/src/main/browser.ts', configArgs: (p) => [p] },
  { app: 'display', deviceId: 'display-1', role: 'display', port: 5175, label: '综合屏 wall display', entry: 'apps/display/src/main/browser.ts', configArgs: (p) => ['--config', p] },
];

// Each station's page token, fresh per run and handed to the station in its config, so the
// URLs printed below carry it (a station page without its token is refused).
const pageTokens = new Map(stations.map((plan) => [plan, randomBytes(32).toString('base64url')]));
const pageUrl = (plan: StationPlan, path = '/') => stationPageUrl(`http://127.0.0.1:${plan.port}`, pageTokens.get(plan) ?? '', path);

const meshBasePort = Number(env.HALL_MESH_BASE_PORT ?? 47131);
const meshPort = (plan: StationPlan) => meshBasePort + stations.indexOf(plan);

const children: ChildProcess[] = [];

function run(label: string, args: string[], extraEnv: Record<string, string> = {}): ChildProcess {
  // Stations started from a config file never read HALL_LAN_KEY; leave it out so they do not warn.
  const { HALL_LAN_KEY: _ignored, ...inherited } = env;
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: repoRoot,
    env: { ...inherited, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = `[${label}] `;
  const forward = (stream: NodeJS.WritableStream) => (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line.trim()) stream.write(prefix + line + '\n');
  };
  child.stdout?.on('data', forward(process.stdout));
  child.stderr?.on('data', forward(process.stderr));
  child.on('exit', (code, signal) => {
    if (!stopping) console.error(`${prefix}exited (${signal ?? code}); stopping the hall`);
    void stopAll(code ?? 1);
  });
  children.push(child);
  return child;
}

async function waitForHealth(timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      const response = await fetch(`${apiUrl}/api/v1/health`, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the central API did not answer at ${apiUrl} within ${timeoutMs / 1000} s`);
}

async function api(path: string, body: unknown, token?: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${apiUrl}/api/v1${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const json = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${JSON.stringify(json.error ?? json)}`);
  return json;
}

/** Writes the station's config, enrolling it as the demo hall manager on its first start. */
async function prepareStation(plan: StationPlan, managerToken: () => Promise<string>): Promise<string> {
  const dataDir = join(dataRoot, plan.deviceId);
  mkdirSync(dataDir, { recursive: true });
  const credentialPath = join(dataDir, 'credential');
  const enrollment: Record<string, string> = { credentialPath };
  if (!existsSync(credentialPath)) {
    const counter = plan.counterId ? { counterId: plan.counterId } : {};
    const created = await api('/sync/devices', { id: plan.deviceId, hallId, role: plan.role, name: plan.label, ...counter }, await managerToken());
    enrollment.code = String(created.enrollmentCode);
  } else if (plan.counterId) {
    // A counter enrolled before devices were bound to their counter: bind it (the API lets it act for that counter only).
    await api(`/sync/devices/${plan.deviceId}/counter`, { counterId: plan.counterId }, await managerToken());
  }
  const config = {
    hallId,
    role: plan.role,
    deviceId: plan.deviceId,
    ...(plan.counterId ? { counterId: plan.counterId } : {}),
    apiUrl,
    enrollment,
    dataDir,
    host: { bind: '127.0.0.1', port: plan.port, token: pageTokens.get(plan) },
    // The hall mesh: every station shares what it does with the others over UDP (here on
    // loopback, one port each), so the hall keeps working as one if the central API stops.
    mesh: {
      port: meshPort(plan),
      bind: '127.0.0.1',
      peers: stations.filter((other) => other !== plan).map((other) => ({ host: '127.0.0.1', port: meshPort(other) })),
    },
    devices:
      plan.role === 'kiosk'
        ? { idCardReader: { kind: 'simulated' }, codeScanner: { kind: 'simulated' }, ticketPrinter: { kind: 'simulated' } }
        : plan.role === 'counter'
          ? { idCardReader: { kind: 'simulated' }, ticketPrinter: { kind: 'simulated' } }
          : {},
  };
  const configPath = join(dataDir, 'station.json');
  // Owner-only: it holds the enrollment code and the page token.
  writeFileSync(configPath, JSON.stringify(config, null, 2) + '\n', { mode: 0o600 });
  chmodSync(configPath, 0o600);
  return configPath;
}

let stopping = false;
async function stopAll(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 1500));
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  process.exit(code);
}

async function main(): Promise<void> {
  mkdirSync(dataRoot, { recursive: true });
  for (const app of new Set<RendererApp>(['console', ...stations.map((s) => s.app)])) buildRendererIfStale(app);

  run('central API', ['apps/server/src/cli/start.ts'], {
    HALL_PORT: String(apiPort),
    HALL_DB_FILE: env.HALL_DB_FILE ?? join(dataRoot, 'hall.sqlite'),
    // Request logs would drown the stations' lines; HALL_LOG_LEVEL=info brings them back.
    HALL_LOG_LEVEL: env.HALL_LOG_LEVEL ?? 'warn',
    HALL_CITIZEN_PLATFORM_KEY: platformKey,
  });
  await waitForHealth(60_000);

  // Counters also send each call straight to the wall display over the LAN (loopback here),
  // so the display keeps calling when the central API is away. The stations enroll with the
  // API, which hands each of them the hall's LAN key ring: no key is made or passed here.
  const lanPort = env.HALL_LAN_PORT ?? '47123';
  const lanEnv: Record<string, string> = { HALL_LAN_PORT: lanPort, HALL_LAN_PEERS: `127.0.0.1:${lanPort}` };
  let token: string | undefined;
  const managerToken = async () => (token ??= String((await api('/auth/login', { login: managerLogin, password: managerPassword })).token));
  for (const plan of stations) {
    const configPath = await prepareStation(plan, managerToken);
    run(plan.label, [plan.entry, ...plan.configArgs(configPath)], { HALL_KIOSK_IGNORE_HOURS: env.HALL_KIOSK_IGNORE_HOURS ?? '1', ...lanEnv });
  }

  console.log(
    [
      '',
      'The demo hall is starting. Open these in Chromium (a kiosk: chromium --kiosk <url>):',
      `  central API        ${apiUrl}/api/v1/health`,
      `  admin console      ${apiUrl}/console/   (hallmanager / demo-hallmanager)`,
      ...stations.map((s) => `  ${s.label.padEnd(18)} ${pageUrl(s)}`),
      `  rating screen      ${stations[1] ? pageUrl(stations[1], '/rating') : ''}`,
      '',
      'Demo logins (development only): clerk1 / demo-clerk1 … clerk6, hallmanager / demo-hallmanager.',
      'A residence code to scan at a kiosk (as the citizen platform gets one; valid 2 minutes):',
      `  curl -s -H 'x-citizen-platform-key: ${platformKey}' -H 'content-type: application/json' -d '{"idNumber":"<ID number>"}' ${apiUrl}/api/v1/residence-codes`,
      'Ctrl-C stops the hall. Data lives in ' + dataRoot,
      '',
    ].join('\n'),
  );
}

process.once('SIGINT', () => void stopAll(0));
process.once('SIGTERM', () => void stopAll(0));
main().catch((error: unknown) => {
  console.error(`the hall failed to start: ${error instanceof Error ? error.message : String(error)}`);
  void stopAll(1);
});
