// When a downloaded update is installed (only while idle) and which fuses a release flips.
import { createRequire } from 'node:module';
import { FuseV1Options } from '@electron/fuses';
import { describe, expect, it } from 'vitest';
import { decideInstall, idlePolicyFor, readStationIdleHook, STATION_IDLE_HOOK, type IdleProbe } from '../../build/main/idleInstall';
import { stationPaths } from '../../build/main/paths';

const require = createRequire(import.meta.url);
const { fuseConfigFor, isRelease } = require('../../build/fuses.cjs') as {
  fuseConfigFor(platform: string, app: string): Record<number, boolean>;
  isRelease(env: Record<string, string | undefined>): boolean;
};

const probe = (idleSeconds: number, station: boolean | undefined): IdleProbe => ({ systemIdleSeconds: () => idleSeconds, stationIdle: () => station });

describe('idle-gated install', () => {
  const kiosk = idlePolicyFor('kiosk', {});
  const display = idlePolicyFor('display', { HALL_UPDATE_IDLE_MINUTES: '2' });

  it('installs a kiosk update only after 5 idle minutes and with the station saying it is idle', () => {
    expect(decideInstall(false, probe(3600, true), kiosk)).toEqual({ install: false, reason: 'no-update' });
    expect(decideInstall(true, probe(299, true), kiosk)).toEqual({ install: false, reason: 'recent-input' });
    expect(decideInstall(true, probe(300, false), kiosk)).toEqual({ install: false, reason: 'station-busy' });
    expect(decideInstall(true, probe(300, undefined), kiosk)).toEqual({ install: false, reason: 'no-station-hook' });
    expect(decideInstall(true, probe(300, true), kiosk)).toEqual({ install: true });
  });

  it('lets counters and displays without a hook install on input idleness alone', () => {
    expect(display.minIdleSeconds).toBe(120);
    expect(decideInstall(true, probe(119, undefined), display).install).toBe(false);
    expect(decideInstall(true, probe(120, undefined), display).install).toBe(true);
    expect(decideInstall(true, probe(120, false), display).install).toBe(false);
  });

  it('reads the station hook from globalThis under a registry symbol; a throwing hook means busy', () => {
    const scope: Record<symbol, unknown> = {};
    expect(readStationIdleHook(scope)).toBeUndefined();
    scope[STATION_IDLE_HOOK] = () => true;
    expect(readStationIdleHook(scope)).toBe(true);
    scope[Symbol.for('hall.station.idle')] = () => {
      throw new Error('station not started');
    };
    expect(readStationIdleHook(scope)).toBe(false);
  });
});

describe('station paths', () => {
  it('puts config in /etc/hall and data in /var/lib/hall on Linux, both under %ProgramData%\\Hall on Windows', () => {
    expect(stationPaths('kiosk', 'linux', {})).toMatchObject({ configFile: '/etc/hall/kiosk.json', dataDir: '/var/lib/hall/kiosk' });
    const windows = stationPaths('counter', 'win32', { ProgramData: 'D:\\PD' });
    expect(windows.configFile).toMatch(/^D:\\PD.Hall.counter.station\.json$/);
  });
});

describe('release fuses', () => {
  it('hardens only release builds', () => {
    expect(isRelease({ HALL_RELEASE: '1' })).toBe(true);
    expect(isRelease({})).toBe(false);
  });

  it('turns off run-as-node, NODE_OPTIONS and inspect; asar only; integrity on Windows; file:// privileges only for the apps with file:// renderers', () => {
    const linuxKiosk = fuseConfigFor('linux', 'kiosk');
    expect(fuseConfigFor('linux', 'counter')[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(false);
    expect(linuxKiosk[FuseV1Options.RunAsNode]).toBe(false);
    expect(linuxKiosk[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(false);
    expect(linuxKiosk[FuseV1Options.EnableNodeCliInspectArguments]).toBe(false);
    expect(linuxKiosk[FuseV1Options.OnlyLoadAppFromAsar]).toBe(true);
    expect(linuxKiosk[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(false);
    expect(linuxKiosk[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(true);
    expect(fuseConfigFor('win32', 'kiosk')[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(true);
    expect(fuseConfigFor('linux', 'display')[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(true);
  });
});
