// Browser mode: `tsx apps/kiosk/src/main/browser.ts [--config station.json]` starts the
// station of the config's role (kiosk, or the 24-hour locker: runStation picks it, for this
// entry and the Electron one alike) and serves the built renderer to any Chromium, e.g.
// `chromium --kiosk <url>`. Without a config it runs the demo kiosk.
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadStationSetup, runStation, simControlForStation, simulatesAny, type StationConfig, type StationEnvironment, type StationRunOptions, log } from '@hall/station';
import { defaultKioskConfig, RENDERER_DIR } from './defaults';
import { demoEnrollmentCode, needsEnrollment } from './provision';

/** Demos and tests tune a kiosk from the environment (a locker runs as configured). */
function kioskTuning(env: StationEnvironment): Pick<StationRunOptions, 'kiosk' | 'sync' | 'now'> {
  const pollMs = env.HALL_KIOSK_SYNC_POLL_MS;
  const offsetMs = env.HALL_KIOSK_CLOCK_OFFSET_MS;
  return {
    kiosk: {
      // Demos and tests run at any hour; a real kiosk config leaves this on.
      enforceOpeningHours: !env.HALL_KIOSK_IGNORE_HOURS,
      ...(pollMs ? { appointmentRefreshMs: pollMs } : {}),
    },
    ...(pollMs ? { sync: { pollIntervalMs: pollMs, backoffMaxMs: pollMs } } : {}),
    // Tests only: the kiosk's clock this far from the machine's (the check-in e2e sets it to a chosen hour).
    ...(offsetMs ? { now: () => Date.now() + offsetMs } : {}),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      config: { type: 'string' },
      'sim-port': { type: 'string' },
    },
  });
  const setup = loadStationSetup({ configFile: () => values.config, developer: defaultKioskConfig });
  const env = setup.env;
  let config: StationConfig = setup.config;
  if (!config.host.rendererDir) config = { ...config, host: { ...config.host, rendererDir: RENDERER_DIR } };
  if (!existsSync(config.host.rendererDir ?? RENDERER_DIR)) {
    log.error(`kiosk: no built renderer at ${config.host.rendererDir}; run "npx vite build -c apps/kiosk/vite.config.ts" first`);
  }
  if (!values.config && needsEnrollment(config)) {
    try {
      const code = await demoEnrollmentCode(config, env.HALL_DEMO_LOGIN, env.HALL_DEMO_PASSWORD);
      config = { ...config, enrollment: { ...config.enrollment, code } };
    } catch (error) {
      log.error(`kiosk: could not enroll with the demo central API at ${config.apiUrl} (${(error as Error).message}); running offline`);
    }
  }

  // The same app on a locker's touch screen runs the locker role, as configured.
  const station = await runStation(config, { host: true, env, ...(config.role === 'kiosk' ? kioskTuning(env) : {}) });
  const sim = await simControlForStation(simulatesAny(config.devices), station.simulators, station.hostUrl, env, Number(values['sim-port'] ?? 0));

  const lines = [
    `${station.role} station ${config.deviceId} (hall ${config.hallId}) → central API ${config.apiUrl}`,
    `${station.role}: ${station.hostUrl ?? '(no host)'}`,
    ...(sim ? [`simulators: ${sim.url}`] : []),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  const shutdown = async () => {
    await sim?.close();
    await station.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}

main().catch((error: unknown) => {
  log.error(`kiosk failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
