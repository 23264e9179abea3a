import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LanKeyRingSchema, SYNC_HEADERS, SYNC_PROTOCOL_VERSION, SYNC_SCHEMA_VERSION, type LanKeyRing } from '@hall/shared';
import { listAudit } from '../store/audit';
import { BACKENDS } from '../testing/databases';
import { bearer, startTestServer, type TestServer } from '../testing/server';
import { hallLanKeyRing, LAN_KEY_GRACE_MS, LAN_KEYS_MAX_ACCEPTED } from './keys';

const versions = { [SYNC_HEADERS.protocol]: String(SYNC_PROTOCOL_VERSION), [SYNC_HEADERS.schema]: String(SYNC_SCHEMA_VERSION) };
const T0 = Date.parse('2026-03-02T01:00:00.000Z');

describe.each(BACKENDS)('hall LAN keys on %s', (dialect) => {
  let server: TestServer;
  let now = T0;
  let manager = '';
  const pokes: { hallId: string; topic: string }[] = [];

  beforeAll(async () => {
    server = await startTestServer(dialect, inject('postgresUrl'), { clock: () => new Date(now) });
    manager = await server.login('t1-manager');
    server.app.hall.hub.onPoke((hallId, topic) => pokes.push({ hallId, topic }));
  });
  afterAll(async () => server?.dispose());

  async function enroll(id: string, role: string, hallId = 't1-hall', token = manager): Promise<{ credential: string; lanKeys?: LanKeyRing; citizenKey?: string }> {
    const created = await server.app.inject({ method: 'POST', url: '/api/v1/sync/devices', headers: bearer(token), payload: { id, hallId, role, name: id } });
    expect(created.statusCode).toBe(201);
    const enrolled = await server.app.inject({ method: 'POST', url: '/api/v1/sync/enroll', headers: versions, payload: { code: created.json().enrollmentCode } });
    expect(enrolled.statusCode).toBe(200);
    return enrolled.json();
  }

  const fetchRing = (token?: string, query = '') =>
    server.app.inject({ method: 'GET', url: `/api/v1/sync/lan-keys${query}`, headers: { ...versions, ...(token ? bearer(token) : {}) } });
  const rotate = (token: string, hallId = 't1-hall') => server.app.inject({ method: 'POST', url: `/api/v1/admin/halls/${hallId}/lan-keys/rotate`, headers: bearer(token) });

  it('comes with enrollment for every station role of the hall: one ring per hall, 32-byte keys', async () => {
    const rings: LanKeyRing[] = [];
    for (const role of ['kiosk', 'counter', 'display', 'locker']) {
      const enrolled = await enroll(`lk-${role}`, role);
      rings.push(LanKeyRingSchema.parse(enrolled.lanKeys));
    }
    const [first] = rings;
    expect(Buffer.from(first!.current.key, 'base64')).toHaveLength(32);
    expect(first!.accepted).toEqual([first!.current]);
    for (const ring of rings) expect(ring).toEqual(first);
    const other = await enroll('lk-t2-kiosk', 'kiosk', 't2-hall', await server.login('t2-manager'));
    expect(other.lanKeys?.current.kid).not.toBe(first!.current.kid);
    expect(other.lanKeys?.current.key).not.toBe(first!.current.key);
  });

  it('is fetched by an enrolled device for its own hall only; staff and strangers are refused', async () => {
    const display = await enroll('lk-display-2', 'display');
    const ok = await fetchRing(display.credential);
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['cache-control']).toBe('no-store');
    expect(ok.json()).toEqual(display.lanKeys);
    expect((await fetchRing(display.credential, '?hallId=t1-hall')).statusCode).toBe(200);
    expect((await fetchRing(display.credential, '?hallId=t2-hall')).statusCode).toBe(403);
    const t2 = await fetchRing((await enroll('lk-t2-display', 'display', 't2-hall', await server.login('t2-manager'))).credential);
    expect(t2.json().current.kid).not.toBe(display.lanKeys?.current.kid);
    expect((await fetchRing(manager)).statusCode).toBe(403);
    expect((await fetchRing(await server.login('city-admin'))).statusCode).toBe(403);
    expect((await fetchRing()).statusCode).toBe(401);
    expect((await fetchRing('device.not-a-real-credential-at-all')).statusCode).toBe(401);
  });

  it('is sealed at rest: the raw row holds neither the key bytes nor their base64', async () => {
    const ring = LanKeyRingSchema.parse((await fetchRing((await enroll('lk-kiosk-raw', 'kiosk')).credential)).json());
    const rows = (await sql<{ kid: string; key: string }>`select kid, key from hall_lan_keys`.execute(server.db.database.db)).rows;
    const row = rows.find((r) => r.kid === ring.current.kid);
    expect(row?.key).toMatch(/^hk1\./);
    const bytes = Buffer.from(ring.current.key, 'base64');
    for (const r of rows) {
      expect(r.key).not.toContain(ring.current.key);
      expect(r.key).not.toContain(bytes.toString('hex'));
      expect(r.key).not.toContain(bytes.toString('base64url'));
      expect(Buffer.from(r.key).includes(bytes)).toBe(false);
    }
  });

  it('is rotated by a hall manager of the hall, audited and poked; the old key stays accepted for the grace period, then is gone', async () => {
    const counter = await enroll('lk-counter-rot', 'counter');
    const before = LanKeyRingSchema.parse(counter.lanKeys);

    const clerk = await rotate(await server.login('t1-clerk'));
    expect(clerk.statusCode).toBe(403);
    expect((await rotate(await server.login('t2-manager'))).statusCode).toBe(403);
    expect((await rotate(counter.credential)).statusCode).toBe(403);
    expect((await server.app.inject({ method: 'POST', url: '/api/v1/admin/halls/t1-hall/lan-keys/rotate' })).statusCode).toBe(401);
    expect((await fetchRing(counter.credential)).json()).toEqual(before);

    pokes.length = 0;
    const rotated = await rotate(manager);
    expect(rotated.statusCode).toBe(200);
    const result = rotated.json();
    expect(result.current.kid).not.toBe(before.current.kid);
    expect(result.previous.map((k: { kid: string }) => k.kid)).toEqual([before.current.kid]);
    expect(result.previous[0].acceptedUntil).toBe(new Date(now + LAN_KEY_GRACE_MS).toISOString());
    // No key material in the console's answer.
    expect(rotated.body).not.toContain(before.current.key);
    expect(pokes).toContainEqual({ hallId: 't1-hall', topic: 'lanKeys' });
    expect(pokes.filter((p) => p.hallId !== 't1-hall')).toEqual([]);

    const audit = await listAudit(server.db.database.db, { entity: 'lan_key' });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'rotate', entityId: result.current.kid, hallId: 't1-hall', actor: { kind: 'staff', id: 't1-mgr' } });
    expect(JSON.stringify(audit)).not.toContain(before.current.key);

    const after = LanKeyRingSchema.parse((await fetchRing(counter.credential)).json());
    expect(after.current.kid).toBe(result.current.kid);
    expect(after.current.key).not.toBe(before.current.key);
    expect(after.accepted).toEqual([after.current, before.current]);
    // Another hall's ring is untouched.
    const t2 = await enroll('lk-t2-counter', 'counter', 't2-hall', await server.login('t2-manager'));
    expect(t2.lanKeys?.accepted).toHaveLength(1);

    now += LAN_KEY_GRACE_MS - 1000;
    expect(LanKeyRingSchema.parse((await fetchRing(counter.credential)).json()).accepted.map((k) => k.kid)).toEqual([after.current.kid, before.current.kid]);
    now += 2000;
    const later = LanKeyRingSchema.parse((await fetchRing(counter.credential)).json());
    expect(later).toEqual({ current: after.current, accepted: [after.current] });
    const rows = (await sql<{ kid: string }>`select kid from hall_lan_keys where hall_id = 't1-hall'`.execute(server.db.database.db)).rows;
    expect(rows.map((r) => r.kid)).toEqual([after.current.kid]);
  });

  it('shows the console key ids and dates without the keys', async () => {
    const status = await server.app.inject({ method: 'GET', url: '/api/v1/admin/halls/t1-hall/lan-keys', headers: bearer(await server.login('t1-manager')) });
    expect(status.statusCode).toBe(200);
    expect(status.json()).toMatchObject({ hallId: 't1-hall', previous: [], graceSeconds: LAN_KEY_GRACE_MS / 1000 });
    expect(Object.keys(status.json().current).sort()).toEqual(['acceptedUntil', 'createdAt', 'kid', 'retiredAt']);
    expect((await server.app.inject({ method: 'GET', url: '/api/v1/admin/halls/t1-hall/lan-keys', headers: bearer(await server.login('t2-manager')) })).statusCode).toBe(403);
  });
});

describe('hall LAN key ring size', () => {
  it('hands out at most LAN_KEYS_MAX_ACCEPTED keys, newest first, however often the key is rotated within the grace period', async () => {
    const server = await startTestServer('sqlite', inject('postgresUrl'));
    try {
      const manager = await server.login('t1-manager');
      for (let i = 0; i < LAN_KEYS_MAX_ACCEPTED + 3; i++) {
        expect((await server.app.inject({ method: 'POST', url: '/api/v1/admin/halls/t1-hall/lan-keys/rotate', headers: bearer(manager) })).statusCode).toBe(200);
      }
      const ring = await hallLanKeyRing(server.db.database.db, server.app.hall.dataKeys, 't1-hall', new Date());
      expect(LanKeyRingSchema.parse(ring).accepted).toHaveLength(LAN_KEYS_MAX_ACCEPTED);
      expect(ring.accepted[0]).toEqual(ring.current);
    } finally {
      await server.dispose();
    }
  });
});
