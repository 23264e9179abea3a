import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { makeTestIdNumber, SYNC_HEADERS, SYNC_PROTOCOL_VERSION, SYNC_SCHEMA_VERSION } from '@hall/shared';
import { buildServer } from '../app';
import { listAudit } from '../store/audit';
import { BACKENDS } from '../testing/databases';
import { bearer, citizenPlatform, startTestServer, TEST_PLATFORM_KEY, type TestServer } from '../testing/server';

const versions = { [SYNC_HEADERS.protocol]: String(SYNC_PROTOCOL_VERSION), [SYNC_HEADERS.schema]: String(SYNC_SCHEMA_VERSION) };
const OLD_KEY = 'previous-citizen-platform-key-1111111111';

describe.each(BACKENDS)('residence codes are issued to the citizen platform only, on %s', (dialect) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(dialect, inject('postgresUrl'), { citizenPlatformKeys: [TEST_PLATFORM_KEY, OLD_KEY] });
  });
  afterAll(async () => server.dispose());

  const issue = (headers: Record<string, string>, idNumber = makeTestIdNumber({ sequence: 7 })) =>
    server.app.inject({ method: 'POST', url: '/api/v1/residence-codes', headers, payload: { idNumber } });

  it('refuses every clerk, manager and the city administrator, and every device', async () => {
    for (const login of ['t1-clerk', 't1-manager', 't2-manager', 'city-admin']) {
      const response = await issue(bearer(await server.login(login)));
      expect(response.statusCode, login).toBe(403);
      expect(response.json().error?.message ?? response.body).toMatch(/citizen platform/);
    }
    const created = await server.app.inject({ method: 'POST', url: '/api/v1/sync/devices', headers: bearer(await server.login('t1-manager')), payload: { id: 'rc-kiosk', hallId: 't1-hall', role: 'kiosk', name: 'k' } });
    const kiosk = (await server.app.inject({ method: 'POST', url: '/api/v1/sync/enroll', headers: versions, payload: { code: created.json().enrollmentCode } })).json().credential as string;
    expect((await issue(bearer(kiosk))).statusCode).toBe(403);
    expect((await issue({})).statusCode).toBe(401);
    expect((await issue(citizenPlatform('wrong-key-of-the-right-length-000000000'))).statusCode).toBe(401);
    // A staff session next to a wrong key is no way in either.
    expect((await issue({ ...citizenPlatform('nope'), ...bearer(await server.login('city-admin')) })).statusCode).toBe(401);
    expect(await listAudit(server.app.hall.db, { entity: 'residence_code' })).toEqual([]);
  });

  it('issues to the platform key (current or the previous one while it rotates), and audits every issue', async () => {
    const first = await issue(citizenPlatform());
    expect(first.statusCode).toBe(201);
    const second = await issue(citizenPlatform(OLD_KEY));
    expect(second.statusCode).toBe(201);
    const audit = await listAudit(server.app.hall.db, { entity: 'residence_code' });
    expect(audit).toHaveLength(2);
    for (const entry of audit) {
      expect(entry).toMatchObject({ actor: { kind: 'platform', id: 'citizen-platform' }, action: 'issue', entity: 'residence_code' });
      expect(entry.entityId).toMatch(/^[0-9a-f]{32}$/);
      // Never the ID number nor the code itself.
      expect(JSON.stringify(entry)).not.toContain(makeTestIdNumber({ sequence: 7 }));
      expect(JSON.stringify(entry)).not.toContain('HRC1');
    }
    expect(audit.map((e) => e.detail?.platformKey).sort()).toEqual(['current', 'previous-1']);
  });

  it('without a configured platform key nobody is issued a code (fail closed)', async () => {
    const closed = await buildServer({ database: server.db.database, dataKeys: server.app.hall.dataKeys, citizenPlatformKeys: [] });
    try {
      const response = await closed.inject({ method: 'POST', url: '/api/v1/residence-codes', headers: citizenPlatform(), payload: { idNumber: makeTestIdNumber() } });
      expect(response.statusCode).toBe(401);
    } finally {
      await closed.close();
    }
  });
});
