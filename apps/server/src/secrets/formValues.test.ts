import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SYNC_HEADERS, SYNC_PROTOCOL_VERSION, SYNC_SCHEMA_VERSION, uuidV7 } from '@hall/shared';
import { buildServer } from '../app';
import { openFormValues } from '../sync/formValues';
import { BACKENDS } from '../testing/databases';
import { bearer, startTestServer, type TestServer } from '../testing/server';
import { DataKeyring } from './keyring';

const versions = { [SYNC_HEADERS.protocol]: String(SYNC_PROTOCOL_VERSION), [SYNC_HEADERS.schema]: String(SYNC_SCHEMA_VERSION) };
const key = (id: string) => ({ id, key: randomBytes(32) });
const NAME = ['张', '三', '丰'].join('');
const ADDRESS = 'Room 1203, 88 Tianhe Road';

describe.each(BACKENDS)('form values at rest on %s', (dialect) => {
  const k1 = key('f1');
  const k2 = key('f2');
  let server: TestServer;
  let counter = '';

  beforeAll(async () => {
    server = await startTestServer(dialect, inject('postgresUrl'), { dataKeys: new DataKeyring([k1]) });
    const manager = await server.login('t1-manager');
    const created = await server.app.inject({ method: 'POST', url: '/api/v1/sync/devices', headers: bearer(manager), payload: { id: 'fv-c', hallId: 't1-hall', role: 'counter', name: 'counter' } });
    counter = (await server.app.inject({ method: 'POST', url: '/api/v1/sync/enroll', headers: versions, payload: { code: created.json().enrollmentCode } })).json().credential;
  });
  afterAll(async () => server.dispose());

  const db = () => server.db.database.db;
  const raw = async (caseId: string) =>
    (await sql<{ values_json: string }>`select values_json from sync_case_forms where case_id = ${caseId}`.execute(db())).rows[0]!.values_json;
  const readBack = async (app: Awaited<ReturnType<typeof buildServer>>, caseId: string) =>
    (await app.inject({ method: 'GET', url: `/api/v1/sync/case-forms?caseId=${caseId}`, headers: { ...versions, ...bearer(counter) } })).json().forms[0].values;

  /** A case and its form as a build before sealing left them: values in plain JSON. */
  async function legacyCase(): Promise<string> {
    const caseId = uuidV7(Date.now(), randomBytes(10));
    const at = new Date().toISOString();
    await sql`insert into cases (id, hall_id, ticket_id, service_id, situation_id, form_id, form_version, answers_json, citizen_masked_name, citizen_id_hash, status, materials_json, submitted_at)
      values (${caseId}, 't1-hall', null, 't1-svc-1', null, null, null, '{}', null, null, 'submitted', '[]', ${at})`.execute(db());
    await sql`insert into sync_case_forms (case_id, hall_id, mutation_id, values_json, submitted_at)
      values (${caseId}, 't1-hall', 'legacy', ${JSON.stringify({ name: NAME, address: ADDRESS })}, ${at})`.execute(db());
    return caseId;
  }

  it('the data migration seals forms left in plain text, and the counter still reads them', async () => {
    const caseId = await legacyCase();
    expect(await raw(caseId)).toContain(NAME);
    // Readable even before the start-up seal reaches it (several instances, rolling start).
    expect(await readBack(server.app, caseId)).toEqual({ name: NAME, address: ADDRESS });
    const restarted = await buildServer({ database: server.db.database, dataKeys: new DataKeyring([k1]) });
    try {
      const stored = await raw(caseId);
      expect(stored).toMatch(/^hk1\.f1\./);
      expect(stored).not.toContain(NAME);
      expect(stored).not.toContain('Tianhe');
      expect(await readBack(restarted, caseId)).toEqual({ name: NAME, address: ADDRESS });
    } finally {
      await restarted.close();
    }
  });

  it('a key rotation reseals forms under the new key; a form moved to another case does not open', async () => {
    const caseId = await legacyCase();
    const rotated = await buildServer({ database: server.db.database, dataKeys: new DataKeyring([k2, k1]) });
    try {
      const stored = await raw(caseId);
      expect(stored).toMatch(/^hk1\.f2\./);
      expect(openFormValues(rotated.hall.dataKeys, caseId, stored)).toEqual({ name: NAME, address: ADDRESS });
      expect(() => openFormValues(rotated.hall.dataKeys, 'another-case', stored)).toThrow(/fails authentication/);
    } finally {
      await rotated.close();
    }
    // k1 is no longer needed: every form is under k2.
    const only = await buildServer({ database: server.db.database, dataKeys: new DataKeyring([k2]) });
    try {
      expect(await readBack(only, caseId)).toEqual({ name: NAME, address: ADDRESS });
    } finally {
      await only.close();
    }
  });
});
