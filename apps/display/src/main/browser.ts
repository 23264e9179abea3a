// Browser mode: `tsx apps/display/src/main/browser.ts [--config station.json] [--display display.json]`
// starts the display station (core, sync, LAN call feed, voice, signs) and serves the built
// renderer to any Chromium, e.g.
//   chromium --kiosk --autoplay-policy=no-user-gesture-required <url>
// (the flag lets the wall speak without anyone touching it).
import { parseArgs } from 'node:util';
import { loadStationSetup, runStation, simControlForStation, type StationConfig, log } from '@hall/station';
import { loadDisplayConfig, type DisplayParts } from '@hall/station/roles/display';
import { defaultDisplayConfig, defaultDisplaySettings, RENDERER_DIR } from './defaults';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { config: { type: 'string' }, display: { type: 'string' } } });
  const setup = loadStationSetup({ configFile: () => values.config, developer: defaultDisplayConfig });
  const env = setup.env;
  let config: StationConfig = setup.config;
  if (!config.host.rendererDir) config = { ...config, host: { ...config.host, rendererDir: RENDERER_DIR } };
  const display = values.display ? loadDisplayConfig(values.display) : defaultDisplaySettings(env);
  const station = await runStation(config, { host: true, env, display: { display } });
  const role = (station.parts as DisplayParts).role;
  // A demo panel's eyes on this wall: the simulated signs and the newest announcement.
  const screens = role.screens?.simulator;
  const names = Object.fromEntries([
    ...Object.entries(display.screens?.counterSigns ?? {}).map(([counterId, address]) => [address, counterId]),
    ...(display.screens?.strips ?? []).map((address) => [address, 'strip']),
  ]) as Record<number, string>;
  const sim = await simControlForStation(
    screens !== undefined,
    { ...(screens ? { callScreens: { simulator: screens, names } } : {}), voice: { last: () => role.lastAnnouncement() } },
    station.hostUrl,
    env,
  );
  process.stdout.write(
    [
      `display station ${config.deviceId} (hall ${config.hallId}) → central API ${config.apiUrl}`,
      `display: ${station.hostUrl ?? '(no host)'}`,
      `LAN call feed: ${role.lan ? `udp ${role.lan.port}` : 'off (no "lan" in the display config)'}`,
      ...(sim ? [`simulators: ${sim.url}`] : []),
    ].join('\n') + '\n',
  );
  void role.voiceReady.then((r) => {
    if (r.failed > 0) log.error(`display: ${r.failed} voice clip(s) could not be generated; those words are skipped`);
  });
  const shutdown = async () => {
    await sim?.close();
    await station.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}

main().catch((error: unknown) => {
  log.error(`display failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
