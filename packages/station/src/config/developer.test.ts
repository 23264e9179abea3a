import { describe, expect, it } from 'vitest';
import { developerStationConfig } from './developer';
import { readStationEnvironment } from './environment';

describe('developerStationConfig', () => {
  const defaults = { role: 'display' as const, name: 'display' as const, repoRoot: '/repo', rendererDir: '/repo/apps/display/out/renderer', port: 5175 };

  it('gives the demo hall on the local central API, data under .data/<name>, loopback only', () => {
    const config = developerStationConfig(readStationEnvironment({}), defaults);
    expect(config).toMatchObject({
      hallId: 'hall.shanwei-psb',
      role: 'display',
      deviceId: 'display-dev-1',
      apiUrl: 'http://127.0.0.1:8080',
      dataDir: '/repo/.data/display',
      enrollment: { credentialPath: '/repo/.data/display/credential' },
      host: { bind: '127.0.0.1', port: 5175, rendererDir: '/repo/apps/display/out/renderer' },
    });
    expect(config.enrollment.code).toBeUndefined();
  });

  it('takes overrides from the environment and role-specific parts from the app', () => {
    const config = developerStationConfig(
      readStationEnvironment({ HALL_DISPLAY_PORT: '6000', HALL_DISPLAY_DATA_DIR: '/var/lib/wall', HALL_ENROLLMENT_CODE: 'code-12345678', HALL_DEVICE_ID: 'wall-2' }),
      { ...defaults, extra: { devices: { callScreen: { kind: 'simulated' } } } },
    );
    expect(config.host.port).toBe(6000);
    expect(config.dataDir).toBe('/var/lib/wall');
    expect(config.enrollment.code).toBe('code-12345678');
    expect(config.deviceId).toBe('wall-2');
    expect(config.devices.callScreen).toEqual({ kind: 'simulated' });
  });
});
