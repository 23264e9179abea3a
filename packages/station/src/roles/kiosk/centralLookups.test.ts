import { afterEach, describe, expect, it } from 'vitest';
import { centralStandIn, closeCentralStandIns, json } from '../../central/testing';

afterEach(closeCentralStandIns);
import { centralAppointments, centralBlacklist, centralBlacklistList } from './centralLookups';

const runtime = { client: { authHeaders: () => ({ authorization: 'Bearer kiosk' }) } };

describe("the kiosk's central lookups", () => {
  it('read a blacklist answer leniently, take the whole list or none, and answer undefined whenever the API gives nothing usable', async () => {
    let answer: unknown = {};
    let status = 200;
    const seen: string[] = [];
    const apiUrl = await centralStandIn((request, _body, response) => {
      seen.push(`${request.method} ${request.url} ${request.headers.authorization}`);
      json(response, status, answer);
    });
    const config = { apiUrl, hallId: 'hall-1' };
    const check = centralBlacklist(config, runtime);

    answer = { blacklisted: true, until: '2026-06-01' };
    expect(await check('h', '2026-05-06')).toEqual({ blacklisted: true, until: '2026-06-01', reason: '' });
    answer = { blacklisted: true, until: '2026-06-01', reason: '爽约', source: 42 };
    expect(await check('h', '2026-05-06')).toEqual({ blacklisted: true, until: '2026-06-01', reason: '爽约' });
    answer = { blacklisted: true, until: '2026-06-01', reason: '爽约', source: 'no_show' };
    expect(await check('h', '2026-05-06')).toEqual({ blacklisted: true, until: '2026-06-01', reason: '爽约', source: 'no_show' });
    answer = { blacklisted: false };
    expect(await check('h', '2026-05-06')).toEqual({ blacklisted: false });
    answer = { blacklisted: true };
    expect(await check('h', '2026-05-06')).toBeUndefined();
    status = 403;
    answer = { blacklisted: false };
    expect(await check('h', '2026-05-06')).toBeUndefined();
    expect(seen[0]).toBe('POST /api/v1/blacklist/check Bearer kiosk');

    status = 200;
    const list = centralBlacklistList(config, runtime);
    const entry = { idHash: 'h1', reason: '爽约', until: '2026-06-01' };
    answer = { entries: [entry, { ...entry, idHash: 'h2', source: 'manual' }] };
    expect(await list()).toEqual([entry, { ...entry, idHash: 'h2', source: 'manual' }]);
    answer = { entries: [entry, { idHash: 'h2' }] };
    expect(await list()).toBeUndefined();
    expect(seen.at(-1)).toBe('GET /api/v1/halls/hall-1/blacklist/hashes Bearer kiosk');

    const appointments = centralAppointments(config, runtime);
    answer = { appointments: 'none' };
    expect(await appointments('2026-05-06')).toBeUndefined();
    expect(seen.at(-1)).toBe('GET /api/v1/halls/hall-1/appointments?date=2026-05-06 Bearer kiosk');
    answer = { appointments: [] };
    expect(await appointments('2026-05-06')).toEqual([]);

    const offline = { apiUrl: 'http://127.0.0.1:1', hallId: 'hall-1' };
    expect(await centralBlacklist(offline, runtime)('h', '2026-05-06')).toBeUndefined();
    expect(await centralBlacklistList(offline, runtime)()).toBeUndefined();
    expect(await centralAppointments(offline, runtime)('2026-05-06')).toBeUndefined();
  });
});
