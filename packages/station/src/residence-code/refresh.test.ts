import Database from 'better-sqlite3';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { LOCKER_PATHS } from '@hall/shared';
import { API_BASE_PATH } from '../central/client';
import { KeySetRefresher } from './refresh';
import { TestCodeIssuer } from './testing';
import { StationCodeVerifier } from './verifier';

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((done) => server.close(done));
});

/** A central API stand-in over real HTTP that answers the key-set path with whatever `body()` gives. */
async function keyServer(body: () => { status: number; json: unknown }): Promise<string> {
  const server = createServer((request, response) => {
    const answer = request.url === API_BASE_PATH + LOCKER_PATHS.keys ? body() : { status: 404, json: {} };
    response.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.json));
  });
  servers.push(server);
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('key set refresh at a station', () => {
  it('fetches the key set into the cache, keeps it when the server fails or sends junk, and verifies from it offline', async () => {
    const issuer = new TestCodeIssuer();
    let answer: { status: number; json: unknown } = { status: 200, json: issuer.keySet() };
    const apiUrl = await keyServer(() => answer);
    const db = new Database(':memory:');
    const verifier = new StationCodeVerifier(db);
    const refresher = new KeySetRefresher(verifier.keys, { apiUrl });
    expect(verifier.verify(issuer.residence('x'), 'residence')).toEqual({ ok: false, reason: 'unknown_key' });
    expect(await refresher.refresh()).toBe(true);
    expect(verifier.verify(issuer.residence('x'), 'residence').ok).toBe(true);

    answer = { status: 503, json: {} };
    expect(await refresher.refresh()).toBe(false);
    expect(refresher.lastError).toMatch(/503/);
    answer = { status: 200, json: { issuer: 'test', keys: 'not a list' } };
    expect(await refresher.refresh()).toBe(false);
    expect(refresher.lastError).toMatch(/schema/);
    // Still verifies with the last good set, and so does a verifier opened later on the same database.
    expect(new StationCodeVerifier(db).verify(issuer.residence('x'), 'residence').ok).toBe(true);
  });
});
