// `npm start` as a newcomer runs it: scripts/start-hall.ts in its own process on a throwaway
// data directory and ports of its own (so it never meets another demo or another test's
// stations), with every address read from what it prints.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');

/** Where one demo hall listens; the simulator page sits at 5180 + stationShift. */
export interface DemoHallPorts {
  api: number;
  stationShift: number;
  mesh: number;
  lan: number;
}

/** Ports no other test file or a newcomer's own `npm start` uses; each test file passes its own set. */
export const TOUR_PORTS: DemoHallPorts = { api: 18_390, stationShift: 4_300, mesh: 49_431, lan: 49_423 };

export interface DemoHall {
  /** Each screen as the banner printed it, by its label's first word (自助取号机, 1号窗口, 综合屏, 智能柜, 大厅模拟器). */
  urls: Map<string, string>;
  panel: string;
  console: string;
  output(): string;
  stop(): Promise<void>;
}

export async function startDemoHall(timeoutMs = 300_000, ports: DemoHallPorts = TOUR_PORTS): Promise<DemoHall> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hall-demo-e2e-'));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'scripts/start-hall.ts'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      HALL_PORT: String(ports.api),
      HALL_STATION_PORT_SHIFT: String(ports.stationShift),
      HALL_MESH_BASE_PORT: String(ports.mesh),
      HALL_LAN_PORT: String(ports.lan),
      HALL_DATA_DIR: dataDir,
      HALL_DB_FILE: join(dataDir, 'hall.sqlite'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so a hall that does not stop in time is killed with its stations.
    detached: true,
  });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 8000))]);
      if (child.exitCode === null && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  const ready = /大厅模拟器 simulators (http:\/\/\S+)/;
  const started = Date.now();
  // Every station prints its own address once it serves; the banner comes first.
  const stationsUp = () => ['kiosk: ', 'locker: ', 'counter station counter-1', 'counter station counter-2', 'display: '].every((s) => out.includes(s));
  while (!(ready.test(out) && stationsUp())) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`npm start exited (${child.exitCode}):\n${out}`);
    }
    if (Date.now() - started > timeoutMs) {
      await stop();
      throw new Error(`npm start did not bring the hall up in ${timeoutMs / 1000} s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const urls = new Map<string, string>();
  for (const match of out.matchAll(/^ {2}(\S+) .*?(http:\/\/127\.0\.0\.1:\d+\/\S*)/gm)) if (match[1] && match[2] && !urls.has(match[1])) urls.set(match[1], match[2]);
  const need = (key: string) => {
    const url = urls.get(key);
    if (!url) throw new Error(`npm start printed no ${key} address:\n${out}`);
    return url;
  };
  return { urls, panel: need('大厅模拟器'), console: need('admin'), output: () => out, stop };
}
