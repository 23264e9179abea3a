import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DataKeyRingSchema, decodeCode, makeTestIdNumber, SYNC_HEADERS, SYNC_PROTOCOL_VERSION, SYNC_SCHEMA_VERSION } from '@hall/shared';
import { openResidenceFields } from '@hall/station';
import { listAudit } from '../store/audit';
import { BACKENDS } from '../testing/databases';
import { bearer, citizenPlatform, startTestServer, type TestServer } from '../testing/server';

const versions = { [SYNC_HEADERS.protocol]: String(SYNC_PROTOCOL_VERSION), [SYNC_HEADERS.schema]: String(SYNC_SCHEMA_VERSION) };
// Made-up citizen for the test; never a real person's data.
const FIELDS = { name: '测试居民', address: '广东省汕尾市城区测试路1号', phone: '13800000000' };

describe.each(BACKENDS)('residence codes carry the citizen fields sealed to the stations (码上填表) on %s', (dialect) => {
  let server: TestServer;
  let manager = '';
  const idNumber = makeTestIdNumber({ sequence: 93 });

  beforeAll(async () => {
    server = await startTestServer(dialect, inject('postgresUrl'));
    manager = await server.login('t1-manager');
  });
  afterAll(async () => server.dispose());

  async function enroll(id: string, role: string): Promise<string> {
    const created = await server.app.inject({ method: 'POST', url: '/api/v1/sync/devices', headers: bearer(manager), payload: { id, hallId: 't1-hall', role, name: id } });
    expect(created.statusCode).toBe(201);
    const enrolled = await server.app.inject({ method: 'POST', url: '/api/v1/sync/enroll', headers: versions, payload: { code: created.json().enrollmentCode } });
    return enrolled.json().credential as string;
  }
  const dataKeys = (headers: Record<string, string>) => server.app.inject({ method: 'GET', url: '/api/v1/residence-codes/data-keys', headers });
  const issue = (payload: Record<string, unknown>, headers: Record<string, string> = citizenPlatform()) =>
    server.app.inject({ method: 'POST', url: '/api/v1/residence-codes', headers, payload });

  it('the platform-issued code carries the fields sealed; a kiosk and a counter open them with the data keys', async () => {
    const issued = await issue({ idNumber, ...FIELDS });
    expect(issued.statusCode).toBe(201);
    const code = issued.json().code as string;
    // Nothing personal readable in the QR text.
    for (const secret of [idNumber, FIELDS.name, FIELDS.address, FIELDS.phone]) expect(Buffer.from(code).includes(Buffer.from(secret))).toBe(false);
    const decoded = decodeCode(code);
    if (!decoded.ok || decoded.code.payload.kind !== 'residence') throw new Error('a residence code');
    expect(decoded.code.payload.sealed).toBeDefined();

    for (const role of ['kiosk', 'counter']) {
      const response = await dataKeys(bearer(await enroll(`dk-${role}`, role)));
      expect(response.statusCode, role).toBe(200);
      expect(response.headers['cache-control']).toBe('no-store');
      const ring = DataKeyRingSchema.parse(response.json());
      // The current key and the next one (handed out a period before it seals).
      expect(ring.keys).toHaveLength(2);
      expect(openResidenceFields(decoded.code.payload, ring, Date.now())).toEqual({ ok: true, fields: { ...FIELDS, idNumber } });
    }
    const audit = await listAudit(server.app.hall.db, { entity: 'residence_code' });
    expect(audit.at(-1)?.detail).toMatchObject({ sealedFields: true });
    expect(JSON.stringify(audit)).not.toContain(FIELDS.name);
  });

  it('the data keys go to kiosks and counters only: not to staff of any rank, a display, a locker or nobody', async () => {
    for (const login of ['t1-clerk', 't1-manager', 'city-admin']) expect((await dataKeys(bearer(await server.login(login)))).statusCode, login).toBe(403);
    for (const role of ['display', 'locker']) expect((await dataKeys(bearer(await enroll(`dk-${role}`, role)))).statusCode, role).toBe(403);
    expect((await dataKeys({})).statusCode).toBe(401);
  });

  it('a clerk or a device still cannot get codes, fields or not; a half-given person is refused plainly', async () => {
    expect((await issue({ idNumber, ...FIELDS }, bearer(await server.login('t1-clerk')))).statusCode).toBe(403);
    expect((await issue({ idNumber, ...FIELDS }, bearer(await enroll('dk-kiosk-2', 'kiosk')))).statusCode).toBe(403);
    const half = await issue({ idNumber, name: FIELDS.name });
    expect(half.statusCode).toBe(400);
    expect(half.body).toMatch(/name and address/);
    // Without fields the code is as before: the subject only.
    const plain = decodeCode((await issue({ idNumber })).json().code);
    expect(plain.ok && plain.code.payload.kind === 'residence' && plain.code.payload.sealed).toBe(undefined);
  });
});
