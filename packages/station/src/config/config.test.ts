import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadStationConfig, parseStationConfig } from './index';

const valid = {
  hallId: 'hall-1',
  role: 'counter',
  deviceId: 'counter-3',
  counterId: 'c3',
  apiUrl: 'https://hall-api.example.gov.cn',
  enrollment: { code: 'ABCD-EFGH-1234', credentialPath: 'credential' },
  dataDir: 'data',
  devices: { ticketPrinter: { kind: 'simulated' }, idCardReader: { kind: 'serial', path: '/dev/ttyUSB0' } },
};

function problems(raw: unknown): string[] {
  try {
    parseStationConfig(raw, 'station.json');
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('station config', () => {
  it('accepts a valid config, fills defaults and resolves paths against the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'station-config-'));
    const file = join(dir, 'station.json');
    writeFileSync(file, JSON.stringify(valid));
    const config = loadStationConfig(file);
    expect(config.dataDir).toBe(join(dir, 'data'));
    expect(config.enrollment.credentialPath).toBe(join(dir, 'credential'));
    expect(config.host.bind).toBe('127.0.0.1');
    expect(config.devices.idCardReader).toEqual({ kind: 'serial', path: '/dev/ttyUSB0', baudRate: 9600 });
    expect(config.sync.leaseBlockSize).toBe(20);
  });

  it('names the bad field', () => {
    expect(problems({ ...valid, role: 'printer' })[0]).toMatch(/^role: /);
    expect(problems({ ...valid, apiUrl: 'ftp://x' })[0]).toMatch(/^apiUrl: expected an http\(s\) URL/);
    expect(problems({ ...valid, devices: { ticketPrinter: { kind: 'serial' } } })[0]).toMatch(
      /^devices\.ticketPrinter\.path: /,
    );
    expect(problems({ ...valid, devices: { toaster: { kind: 'simulated' } } })[0]).toMatch(
      /^devices: unknown field\(s\) "toaster"/,
    );
    const { hallId: _hallId, ...noHall } = valid;
    expect(problems(noHall)[0]).toMatch(/^hallId: /);
  });

  it('requires a counter id on counter stations only', () => {
    const { counterId: _c, ...noCounter } = valid;
    expect(problems(noCounter)).toEqual(['counterId: a counter station needs "counterId"']);
    expect(problems({ ...noCounter, role: 'kiosk' })).toEqual([]);
  });

  it('reports unreadable and malformed files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'station-config-'));
    expect(() => loadStationConfig(join(dir, 'missing.json'))).toThrow(/cannot read file: ENOENT/);
    const file = join(dir, 'bad.json');
    writeFileSync(file, '{"hallId": ');
    expect(() => loadStationConfig(file)).toThrow(/not valid JSON/);
  });
});
