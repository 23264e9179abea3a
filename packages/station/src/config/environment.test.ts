import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EnvironmentError, readStationEnvironment, STATION_ENVIRONMENT_VARIABLES } from './environment';

/** The variable names in the first column of the README's station table. */
function readmeStationVariables(): string[] {
  const readme = readFileSync(fileURLToPath(new URL('../../../../README.md', import.meta.url)), 'utf8');
  const start = readme.indexOf('Stations (environment).');
  expect(start).toBeGreaterThan(-1);
  const lines = readme.slice(start).split('\n');
  const first = lines.findIndex((line) => line.startsWith('|'));
  const rows = lines.slice(first + 2);
  const table = rows.slice(0, rows.findIndex((line) => !line.startsWith('|')));
  return table.map((row) => /^\| `([A-Z0-9_]+)` \|/.exec(row)?.[1] ?? `unreadable row: ${row}`);
}

describe('station environment', () => {
  it('the README table documents exactly the variables the schema knows', () => {
    expect([...readmeStationVariables()].sort()).toEqual([...STATION_ENVIRONMENT_VARIABLES].sort());
  });

  it('reads switches, numbers and texts as the scripts set them; empty is unset', () => {
    const env = readStationEnvironment({ HALL_KIOSK_IGNORE_HOURS: '1', HALL_DISPLAY_ENGLISH: '0', HALL_KIOSK_SYNC_POLL_MS: '200', HALL_ID_HASH_KEY: '', PATH: '/usr/bin' });
    expect(env.HALL_KIOSK_IGNORE_HOURS).toBe(true);
    expect(env.HALL_DISPLAY_ENGLISH).toBe(false);
    expect(env.HALL_KIOSK_SYNC_POLL_MS).toBe(200);
    expect(env.HALL_ID_HASH_KEY).toBeUndefined();
    expect(env.HALL_DEMO_LOGIN).toBe('hallmanager');
    expect('PATH' in env).toBe(false);
  });

  it('refuses a malformed number, naming the variable', () => {
    expect(() => readStationEnvironment({ HALL_KIOSK_PORT: 'abc' })).toThrow(EnvironmentError);
    expect(() => readStationEnvironment({ HALL_KIOSK_PORT: 'abc' })).toThrow(/HALL_KIOSK_PORT/);
  });
});
