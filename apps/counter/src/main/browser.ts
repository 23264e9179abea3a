import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadStationSetup, runStation, simControlForStation, simulatesAny, LAN_DEFAULT_PORT, type StationEnvironment, log } from '@hall/station';
import { saneEnvironment, saneScanner, type CounterDefinitionOptions } from '@hall/station/roles/counter';

/**
 * Browser mode: `tsx apps/counter/src/main/browser.ts <station.json>` serves the counter
 * screen at the printed URL and the citizen-facing rating screen at the printed /rating URL, for any
 * Chromium (`--kiosk --app=<url>` on the second monitor for the rating screen).
 */
export const COUNTER_RENDERER_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'out', 'renderer');

/**
 * HALL_LAN_PEERS ("host:port,…", the hall's displays) turns the LAN call feed on. Its key is
 * the hall's ring from the central API (this entry always runs from a config file, so
 * HALL_LAN_KEY is never read).
 */
function lanFromEnvironment(env: StationEnvironment): Pick<CounterDefinitionOptions, 'lan'> {
  if (!env.HALL_LAN_PEERS) return {};
  const peers = env.HALL_LAN_PEERS
    .split(',')
    .map((peer) => peer.trim())
    .filter(Boolean)
    .map((peer) => {
      const [host, port] = peer.split(':');
      return { host: host ?? '', port: Number(port ?? LAN_DEFAULT_PORT) };
    });
  return { lan: { peers } };
}

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) {
    log.error('usage: tsx apps/counter/src/main/browser.ts <station-config.json>');
    process.exit(2);
  }
  const { config, env } = loadStationSetup({ configFile: () => file });
  const withRenderer = config.host.rendererDir ? config : { ...config, host: { ...config.host, rendererDir: COUNTER_RENDERER_DIR } };
  const station = await runStation(withRenderer, { host: true, env, counter: lanFromEnvironment(env) });
  // A demo panel's hands for this counter (ID card, printer) when its devices are simulated.
  const sane = env.HALL_SANE_DEVICE;
  // SANE's test device is the demo's document scanner: the panel shows the page it captures.
  const documentCamera = sane?.startsWith('test') ? { documentCamera: { testPage: async () => (await saneScanner(sane, saneEnvironment(env), 50)(1))[0]! } } : {};
  const sim = await simControlForStation(simulatesAny(config.devices), { ...station.simulators, ...documentCamera }, station.hostUrl, env);
  process.stdout.write(`counter station ${config.deviceId}: clerk screen ${station.hostUrl ?? '?'}  rating screen ${station.runtime.host?.pageUrl('/rating') ?? '?'}\n`);
  if (sim) process.stdout.write(`simulators: ${sim.url}\n`);
  const stop = async () => {
    await sim?.close();
    await station.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error: unknown) => {
    log.error(`counter station failed to start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
