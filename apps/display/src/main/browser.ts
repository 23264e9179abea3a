// Browser mode: `tsx apps/display/src/main/browser.ts [--config station.json] [--display display.json]`
// starts the display station (core, sync, LAN call feed, voice, signs) and serves the built
// renderer to any Chromium, e.g.
//   chromium --kiosk --autoplay-policy=no-user-gesture-required <url>
// (the flag lets the wall speak without anyone touching it).
import { parseArgs } from 'node:util';
import { loadStationConfig, log, type StationConfig, simControlForStation } from '@hall/station';
import { loadDisplayConfig } from '@hall/station/roles/display';
import { defaultDisplayConfig, defaultDisplaySettings, RENDERER_DIR } from './defaults';
import { startDisplayStation } from './station';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { config: { type: 'string' }, display: { type: 'string' } } });
  const env = process.env;
  let config: StationConfig = values.config ? loadStationConfig(values.config) : defaultDisplayConfig(env);
  if (!config.host.rendererDir) config = { ...config, host: { ...config.host, rendererDir: RENDERER_DIR } };
  const display = values.display ? loadDisplayConfig(values.display) : defaultDisplaySettings(env);
  const station = await startDisplayStation(config, { host: true, display });
  // A demo panel's eyes on this wall: the simulated signs and the newest announcement.
  const screens = station.role.screens?.simulator;
  const names = Object.fromEntries([
    ...Object.entries(display.screens?.counterSigns ?? {}).map(([counterId, address]) => [address, counterId]),
    ...(display.screens?.strips ?? []).map((address) => [address, 'strip']),
  ]) as Record<number, string>;
  const sim = await simControlForStation(
    screens !== undefined,
    { ...(screens ? { callScreens: { simulator: screens, names } } : {}), voice: { last: () => station.role.lastAnnouncement() } },
    station.runtime.host?.url,
  );
  process.stdout.write(
    [
      `display station ${config.deviceId} (hall ${config.hallId}) → central API ${config.apiUrl}`,
      `display: ${station.runtime.host?.url ?? '(no host)'}`,
      `LAN call feed: ${station.role.lan ? `udp ${station.role.lan.port}` : 'off (no "lan" in the display config)'}`,
      ...(sim ? [`simulators: ${sim.url}`] : []),
    ].join('\n') + '\n',
  );
  void station.role.voiceReady.then((r) => {
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
