import { afterEach, describe, expect, it } from 'vitest';
import { startSimControl, type SimControl } from './simControl';

const TOKEN = 'sim-control-test-token_0123456789abcdef';

let sim: SimControl | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe('kiosk simulator control', () => {
  it('answers only a bearer of the station token', async () => {
    // No simulated devices: an authorised request reaches the routes and is told so.
    sim = await startSimControl({}, TOKEN);
    const printer = (headers: Record<string, string>) => fetch(`${sim?.url}/printer`, { headers });
    expect((await printer({})).status).toBe(401);
    expect((await printer({ authorization: 'Bearer wrong-token-wrong-token-wrong' })).status).toBe(401);
    const authorised = await printer({ authorization: `Bearer ${TOKEN}` });
    expect(authorised.status).toBe(404);
    expect(await authorised.json()).toEqual({ error: 'no simulated printer' });
    const placed = await fetch(`${sim.url}/idcard`, { method: 'POST', body: '{}' });
    expect(placed.status).toBe(401);
  });
});
