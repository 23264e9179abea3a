// Two API instances on one PostgreSQL, as behind a load balancer: they migrate safely when
// started together, and a poke raised on one reaches a station connected to the other.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import WebSocket from 'ws';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../apps/server/src/app';
import { openDatabase, type HallDatabase } from '../../apps/server/src/db/connection';
import { migrate } from '../../apps/server/src/db/migrate';
import { migrations } from '../../apps/server/src/db/migrations/index';
import { seedDemoHall } from '../../apps/server/src/demo/seed';
import { loadCatalogue } from '../../apps/server/src/sync/catalogue';
import { createPostgresDatabase } from '../../apps/server/src/testing/databases';
import { FIXTURE_PASSWORD, fixtureHall } from '../../apps/server/src/testing/fixture';

/** The scraper's token (HALL_METRICS_TOKEN): /metrics needs it. */
const METRICS_TOKEN = 'ops-instances-metrics-token-000000000000';

const pgUrl = inject('postgresUrl');
const NGINX = '/usr/sbin/nginx';
const ROOT = join(import.meta.dirname, '..', '..');

/** deploy/nginx/hall-api.conf as shipped, with TLS, ports and log paths adapted to a test. */
function testNginxConfig(base: string, port: number, upstreams: string[]): string {
  const site = readFileSync(join(ROOT, 'deploy/nginx/hall-api.conf'), 'utf8')
    .replace('listen 443 ssl http2;', `listen 127.0.0.1:${port};`)
    .replace(/^\s*ssl_certificate\S* .*$/gm, '')
    .replace('/var/log/nginx/hall-api.log', join(base, 'access.log'))
    .replaceAll(/server 127\.0\.0\.1:8081 /g, `server ${upstreams[0]} `)
    .replaceAll(/server 127\.0\.0\.1:8082 /g, `server ${upstreams[1]} `);
  return `pid ${join(base, 'nginx.pid')};\nerror_log ${join(base, 'error.log')};\nevents {}\nhttp {\n${site}\n}\n`;
}

interface Instance {
  database: HallDatabase;
  app: FastifyInstance;
  url: string;
}

async function login(base: string, loginName: string): Promise<string> {
  const response = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: loginName, password: FIXTURE_PASSWORD }),
  });
  if (response.status !== 200) throw new Error(`login failed: ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

function nextPoke(socket: WebSocket, timeoutMs: number): Promise<Record<string, unknown> | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      socket.off('message', onMessage);
      resolve(undefined);
    }, timeoutMs);
    function onMessage(data: WebSocket.RawData) {
      const message = JSON.parse(data.toString()) as Record<string, unknown>;
      if (message.type !== 'poke') return;
      clearTimeout(timer);
      socket.off('message', onMessage);
      resolve(message);
    }
    socket.on('message', onMessage);
  });
}

describe('two API instances on one PostgreSQL database', () => {
  const instances: Instance[] = [];
  const sockets: WebSocket[] = [];
  let drop = async () => {};
  let migrationReports: string[][] = [];

  beforeAll(async () => {
    const created = await createPostgresDatabase(pgUrl);
    drop = created.drop;
    // Both start at once on an empty database, as two containers would after a deploy.
    const databases = [0, 1].map(() => openDatabase({ dialect: 'postgres', url: created.url, poolSize: 4 }));
    migrationReports = (await Promise.all(databases.map((database) => migrate(database)))).map((r) => r.applied);
    await seedDemoHall(databases[0]!.db, fixtureHall('t1', { withCityAdmin: true }));
    for (const database of databases) {
      const app = await buildServer({ database, metricsTokens: [METRICS_TOKEN] });
      const url = await app.listen({ host: '127.0.0.1', port: 0 });
      instances.push({ database, app, url });
    }
  });

  afterAll(async () => {
    for (const socket of sockets) socket.terminate();
    for (const { app, database } of instances) {
      await app.close();
      await database.close();
    }
    await drop();
  });

  it('applies every migration exactly once when both instances migrate together', () => {
    const [first = [], second = []] = migrationReports;
    expect([...first, ...second].sort()).toEqual(migrations.map((m) => m.name).sort());
    // One of them did all the work under the advisory lock; the other found nothing pending.
    expect(Math.min(first.length, second.length)).toBe(0);
  });

  it('delivers a poke raised on instance A to a socket connected to instance B, once', async () => {
    const [a, b] = instances as [Instance, Instance];
    const token = await login(b.url, 't1-clerk');
    const socket = new WebSocket(`${b.url.replace('http', 'ws')}/api/v1/ws`, { headers: { authorization: `Bearer ${token}` } });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('message', () => resolve()); // hello
      socket.once('error', reject);
    });
    const received = nextPoke(socket, 5_000);
    const localReach = a.app.hall.hub.poke('t1-hall', 'sync');
    expect(localReach).toBe(0); // nobody is connected to A itself
    expect(await received).toMatchObject({ type: 'poke', hallId: 't1-hall', topic: 'sync' });
    // The origin instance does not echo its own notice back to B a second time.
    expect(await nextPoke(socket, 300)).toBeUndefined();
  });

  it('drops the catalogue cached on instance B as soon as instance A commits a configuration change', async () => {
    const [a, b] = instances as [Instance, Instance];
    const before = await loadCatalogue(b.database.db, 't1-hall');
    const changed = { ...before.callingRules, maxRecalls: before.callingRules.maxRecalls === 3 ? 2 : 3 };
    const token = await login(a.url, 't1-manager');
    const response = await fetch(`${a.url}/api/v1/halls/t1-hall/calling-rules`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(changed),
    });
    expect(response.status).toBe(200);
    // B caches a catalogue for a minute; only the LISTEN/NOTIFY poke can make it reload sooner.
    let seen = before.callingRules.maxRecalls;
    for (let i = 0; i < 100 && seen !== changed.maxRecalls; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      seen = (await loadCatalogue(b.database.db, 't1-hall')).callingRules.maxRecalls;
    }
    expect(seen).toBe(changed.maxRecalls);
  });

  describe.skipIf(!existsSync(NGINX))('behind nginx with deploy/nginx/hall-api.conf', () => {
    let nginx: ChildProcess | undefined;
    let base = '';
    let front = '';

    beforeAll(async () => {
      base = mkdtempSync(join(tmpdir(), 'hall-nginx-'));
      const port = 30_000 + Math.floor(Math.random() * 20_000);
      writeFileSync(join(base, 'nginx.conf'), testNginxConfig(base, port, instances.map((i) => new URL(i.url).host)));
      nginx = spawn(NGINX, ['-p', base, '-e', join(base, 'error.log'), '-c', join(base, 'nginx.conf'), '-g', 'daemon off;'], { stdio: 'ignore' });
      front = `http://127.0.0.1:${port}`;
      for (let i = 0; i < 100; i++) {
        if (await fetch(`${front}/api/v1/ready`).then((r) => r.ok, () => false)) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`nginx did not come up: ${readFileSync(join(base, 'error.log'), 'utf8')}`);
    });
    afterAll(() => {
      nginx?.kill('SIGTERM');
      rmSync(base, { recursive: true, force: true });
    });

    it('serves the API, hides /metrics, and carries WebSocket pokes from either instance', async () => {
      expect((await fetch(`${front}/api/v1/ready`)).status).toBe(200);
      expect((await fetch(`${front}/metrics`)).status).toBe(404);
      const token = await login(front, 't1-clerk');
      const socket = new WebSocket(`${front.replace('http', 'ws')}/h/t1-hall/api/v1/ws`, { headers: { authorization: `Bearer ${token}` } });
      sockets.push(socket);
      await new Promise<void>((resolve, reject) => {
        socket.once('message', () => resolve());
        socket.once('error', reject);
      });
      for (const instance of instances) {
        const received = nextPoke(socket, 5_000);
        instance.app.hall.hub.poke('t1-hall', 'sync');
        expect(await received).toMatchObject({ type: 'poke', hallId: 't1-hall' });
      }
    });

    it('keeps one hall on one instance when stations use the /h/<hall> prefix', async () => {
      const counts = async () =>
        Promise.all(
          instances.map(async (i) => {
            const text = await (await fetch(`${i.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
            return Number(/^hall_http_requests_total\{method="GET",route="\/api\/v1\/halls",status="200"\} (\d+)/m.exec(text)?.[1] ?? 0);
          }),
        );
      const before = await counts();
      for (let n = 0; n < 10; n++) expect((await fetch(`${front}/h/t1-hall/api/v1/halls`)).status).toBe(200);
      const after = await counts();
      const served = after.map((count, i) => count - before[i]!);
      expect(served.sort()).toEqual([0, 10]);
    });
  });

  it('does not deliver another hall’s poke to a hall-scoped station', async () => {
    const [a, b] = instances as [Instance, Instance];
    const token = await login(b.url, 't1-clerk');
    const socket = new WebSocket(`${b.url.replace('http', 'ws')}/api/v1/ws`, { headers: { authorization: `Bearer ${token}` } });
    sockets.push(socket);
    await new Promise<void>((resolve) => socket.once('message', () => resolve()));
    const received = nextPoke(socket, 800);
    a.app.hall.hub.poke('other-hall', 'sync');
    expect(await received).toBeUndefined();
  });
});
