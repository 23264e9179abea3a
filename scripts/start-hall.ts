// `npm start`: the whole demo hall on one machine — the central API on SQLite with a
// simulated SMS gateway, then a kiosk, two counters, the wall display and a 24-hour locker
// in browser mode with simulated devices, and the hall simulator panel that drives those
// devices — and prints where each screen is. Ctrl-C stops everything.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stationPageUrl, type LockerLayout } from '@hall/shared';
import { readStationEnvironment } from '@hall/station';
import { defaultDisplaySettings } from '../apps/display/src/main/defaults';
import { startPanel, type Panel, type PanelStation } from '../apps/server/src/demo/panel/server';
import { SmsGatewaySimulator } from '../apps/server/src/sms/simulator';
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
// Moves every station's port by this much, so a second demo hall (an end-to-end test) runs beside the first.
const portShift = Number(env.HALL_STATION_PORT_SHIFT ?? 0);
const panelPort = Number(env.HALL_SIM_PORT ?? 5180 + portShift);

interface StationPlan {
  app: RendererApp;
  deviceId: string;
  role: 'kiosk' | 'counter' | 'display' | 'locker';
  port: number;
  counterId?: string;
  label: string;
  entry: string;
  configArgs: (configPath: string) => string[];
}

const stations: StationPlan[] = ([
  { app: 'kiosk', deviceId: 'kiosk-1', role: 'kiosk', port: 5173, label: '自助取号机 kiosk', entry: 'apps/kiosk/src/main/browser.ts', configArgs: (p) => ['--config', p] },
  { app: 'counter', deviceId: 'counter-1', role: 'counter', counterId: 'counter.1', port: 5174, label: '1号窗口 counter 1', entry: 'apps/counter/src/main/browser.ts', configArgs: (p) => [p] },
  { app: 'counter', deviceId: 'counter-2', role: 'counter', counterId: 'counter.2', port: 5176, label: '2号窗口 counter 2', entry: 'apps/counter/src/main/browser.ts', configArgs: (p) => [p] },
  { app: 'display', deviceId: 'display-1', role: 'display', port: 5175, label: '综合屏 wall display', entry: 'apps/display/src/main/browser.ts', configArgs: (p) => ['--config', p, '--display', join(dirname(p), 'display.json')] },
  // The locker is the kiosk app in its locker role.
  { app: 'kiosk', deviceId: 'locker-1', role: 'locker', port: 5177, label: '智能柜 locker', entry: 'apps/kiosk/src/main/browser.ts', configArgs: (p) => ['--config', p] },
] satisfies StationPlan[]).map((plan) => ({ ...plan, port: plan.port + portShift }));

/** The demo locker's compartments: two boards' worth would do, six show every size. */
const LOCKER_LAYOUT: LockerLayout = {
  compartments: [
    { id: 'A01', board: 1, lock: 1, size: 'small' },
    { id: 'A02', board: 1, lock: 2, size: 'small' },
    { id: 'A03', board: 1, lock: 3, size: 'small' },
    { id: 'B01', board: 1, lock: 4, size: 'medium' },
    { id: 'B02', board: 1, lock: 5, size: 'medium' },
    { id: 'C01', board: 1, lock: 6, size: 'large' },
  ],
};

// Each station's page token, fresh per run and handed to the station in its config, so the
// URLs printed below carry it (a station page without its token is refused).
const pageTokens = new Map(stations.map((plan) => [plan, randomBytes(32).toString('base64url')]));
const pageUrl = (plan: StationPlan, path = '/') => stationPageUrl(`http://127.0.0.1:${plan.port}`, pageTokens.get(plan) ?? '', path);

const meshBasePort = Number(env.HALL_MESH_BASE_PORT ?? 47131);
const meshPort = (plan: StationPlan) => meshBasePort + stations.indexOf(plan);

const children: ChildProcess[] = [];

function run(label: string, args: string[], extraEnv: Record<string, string> = {}, onLine?: (line: string) => void): ChildProcess {
  // Stations started from a config file never read HALL_LAN_KEY; leave it out so they do not warn.
  const { HALL_LAN_KEY: _ignored, ...inherited } = env;
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: repoRoot,
    env: { ...inherited, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = `[${label}] `;
  const forward = (stream: NodeJS.WritableStream) => (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) {
      if (!line.trim()) continue;
      onLine?.(line);
      stream.write(prefix + line + '\n');
    }
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

const DEVICES: Record<StationPlan['role'], Record<string, { kind: 'simulated' }>> = {
  kiosk: { idCardReader: { kind: 'simulated' }, codeScanner: { kind: 'simulated' }, ticketPrinter: { kind: 'simulated' } },
  counter: { idCardReader: { kind: 'simulated' }, codeScanner: { kind: 'simulated' }, ticketPrinter: { kind: 'simulated' } },
  display: {},
  locker: { lockerController: { kind: 'simulated' }, idCardReader: { kind: 'simulated' }, codeScanner: { kind: 'simulated' } },
};

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
    devices: DEVICES[plan.role],
    ...(plan.role === 'locker' ? { locker: { layout: LOCKER_LAYOUT, leftOpenAfterMs: 60_000 } } : {}),
  };
  if (plan.role === 'display') {
    // The demo wall also drives an LED strip and the two counters' signs, simulated on its RS485 bus.
    const display = {
      ...defaultDisplaySettings(readStationEnvironment({ ...env, HALL_LAN_PORT: env.HALL_LAN_PORT ?? '47123' })),
      screens: { connection: { kind: 'simulated' }, counterSigns: { 'counter.1': 1, 'counter.2': 2 }, strips: [10] },
    };
    writeFileSync(join(dataDir, 'display.json'), JSON.stringify(display, null, 2) + '\n');
  }
  const configPath = join(dataDir, 'station.json');
  // Owner-only: it holds the enrollment code and the page token.
  writeFileSync(configPath, JSON.stringify(config, null, 2) + '\n', { mode: 0o600 });
  chmodSync(configPath, 0o600);
  return configPath;
}

let stopping = false;
let panel: Panel | undefined;
const sms = new SmsGatewaySimulator();
/** Where each station's simulator control answers, as the station printed it. */
const simUrls = new Map<StationPlan, string>();

const simUrlOf = (plan: StationPlan): { simUrl?: string } => {
  const simUrl = simUrls.get(plan);
  return simUrl ? { simUrl } : {};
};

async function stopAll(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  // The stations are told first: a page still connected to the simulator panel can hold its
  // close open, and a hall whose own stop hangs is killed whole, leaving stations orphaned.
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  void panel?.close().catch(() => undefined);
  void sms.close().catch(() => undefined);
  await new Promise((r) => setTimeout(r, 1500));
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  process.exit(code);
}

/**
 * The counters' page scanner in the demo: SANE's own test device (sane-utils), whose test
 * page the simulator panel shows; none where scanimage is missing (the counter then captures
 * with the browser's camera only).
 */
function demoPageScanner(): Record<string, string> {
  if (env.HALL_SANE_DEVICE) return {};
  const onPath = (env.PATH ?? '').split(':').some((dir) => existsSync(join(dir, 'scanimage')));
  if (!onPath) return {};
  const configDir = join(dataRoot, 'sane');
  mkdirSync(configDir, { recursive: true });
  writeFileSync(join(configDir, 'dll.conf'), 'test\n');
  // A grid rather than the backend's default solid black: a page one can see was captured.
  writeFileSync(join(configDir, 'test.conf'), 'test-picture "Grid"\n');
  return { HALL_SANE_DEVICE: 'test:0', HALL_SANE_CONFIG_DIR: configDir };
}

async function main(): Promise<void> {
  // The simulator panel is a development tool: it refuses to run in production, and so does the demo.
  if (env.NODE_ENV === 'production') throw new Error('npm start runs the demo hall with simulated devices; it does not run with NODE_ENV=production (start the central API with npm run start:api)');
  mkdirSync(dataRoot, { recursive: true });
  for (const app of new Set<RendererApp>(['console', ...stations.map((s) => s.app)])) buildRendererIfStale(app);

  // The hall's SMS go to a simulated gateway whose messages the panel shows.
  const smsUrl = await sms.start();
  run('central API', ['apps/server/src/cli/start.ts'], {
    HALL_SMS_GATEWAY_URL: env.HALL_SMS_GATEWAY_URL ?? smsUrl,
    HALL_SMS_INTERVAL_MS: env.HALL_SMS_INTERVAL_MS ?? '1000',
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
  const scannerEnv = demoPageScanner();
  for (const plan of stations) {
    const configPath = await prepareStation(plan, managerToken);
    const stationEnv = { HALL_KIOSK_IGNORE_HOURS: env.HALL_KIOSK_IGNORE_HOURS ?? '1', ...lanEnv, ...(plan.role === 'counter' ? scannerEnv : {}) };
    run(plan.label, [plan.entry, ...plan.configArgs(configPath)], stationEnv, (line) => {
      const sim = /^simulators: (http:\/\/127\.0\.0\.1:\d+)$/.exec(line.trim());
      if (sim?.[1]) simUrls.set(plan, sim[1]);
    });
  }
  panel = await startPanel({
    port: panelPort,
    apiUrl,
    citizenPlatformKey: platformKey,
    sms: () => sms.messages,
    stations: () =>
      stations.map(
        (plan): PanelStation => ({
          id: plan.deviceId,
          label: plan.label,
          role: plan.role,
          pageUrl: pageUrl(plan),
          token: pageTokens.get(plan) ?? '',
          ...simUrlOf(plan),
          ...(plan.role === 'locker' ? { compartments: LOCKER_LAYOUT.compartments } : {}),
          ...(plan.role === 'counter' ? { links: [{ text: 'ratingScreen', url: pageUrl(plan, '/rating') }] } : {}),
          ...(plan.counterId ? { counterId: plan.counterId } : {}),
        }),
      ),
  });

  console.log(
    [
      '',
      'The demo hall is starting. Open these in Chromium (a kiosk: chromium --kiosk <url>):',
      `  central API        ${apiUrl}/api/v1/health`,
      `  admin console      ${apiUrl}/console/   (hallmanager / demo-hallmanager)`,
      ...stations.map((s) => `  ${s.label.padEnd(18)} ${pageUrl(s)}`),
      `  rating screen      ${stations[1] ? pageUrl(stations[1], '/rating') : ''}`,
      `  大厅模拟器 simulators ${panel.url}   (ID cards, scanners, slips, doors, SMS: the hands of the hall)`,
      '',
      'Demo logins (development only): clerk1 / demo-clerk1 … clerk6, hallmanager / demo-hallmanager, officer1 / demo-officer1 (back office).',
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
