// A station's device key (deviceProof.ts in shared) with a real central API behind a proxy
// that can hang: fetched at start and kept beside the credential, used from there while the
// API is away, and fetched once the API is back by a station that started without one.
import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { seededRandom } from '@hall/station/testing';
import { FaultProxy } from './faultProxy';
import { eventually, startCentral, startTestStation, type Central } from './harness';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function hallBehindProxy(): Promise<{ central: Central; proxy: FaultProxy }> {
  const central = await startCentral();
  cleanups.push(() => central.close());
  const proxy = new FaultProxy(() => central.port, seededRandom(5));
  await proxy.listen();
  cleanups.push(() => proxy.close());
  return { central, proxy };
}

describe('a station\'s device key', () => {
  it('is fetched at start and stored 0600; used from the file while the API hangs; fetched when the API is back if the station had none', async () => {
    const { central, proxy } = await hallBehindProxy();
    const code = await central.enrollmentCode('dk-display', 'display');
    const start = (dataDir?: string) =>
      startTestStation({ deviceId: 'dk-display', role: 'display', apiUrl: proxy.url, code, ...(dataDir ? { dataDir } : {}), start: { requestTimeoutMs: 500 } });

    const first = await start();
    const keyFile = join(first.dataDir, 'device-key.json');
    expect(await eventually(() => first.core.deviceProver !== undefined, 10_000)).toBe(true);
    const issued = await first.client.deviceKey();
    expect(first.core.deviceProver?.keyId).toBe(issued.keyId);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    await first.stop();

    // The API hangs: the stored key proves this run's mutations.
    proxy.setMode('partition');
    const stored = await start(first.dataDir);
    expect(stored.core.deviceProver?.keyId).toBe(issued.keyId);
    await stored.stop();

    // No key on disk and the API away: none, until the API answers again.
    rmSync(keyFile);
    const keyless = await start(first.dataDir);
    cleanups.push(() => keyless.stop());
    expect(await eventually(() => keyless.sync.status().lastError !== null, 10_000)).toBe(true);
    expect(keyless.core.deviceProver).toBeUndefined();
    proxy.setMode('normal');
    expect(await eventually(() => keyless.core.deviceProver !== undefined, 15_000)).toBe(true);
    expect(keyless.core.deviceProver?.keyId).toBe(issued.keyId);
    expect(existsSync(keyFile)).toBe(true);
  }, 60_000);
});
