import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  RELEASE_PBKDF2_ITERATIONS,
  SYNC_HEADERS,
  SYNC_PROTOCOL_VERSION,
  SYNC_SCHEMA_VERSION,
  uuidV7,
  type PushResponse,
  type ReleaseVerifier,
  localDay,
} from '@hall/shared';
import { listAudit } from '../store/audit';
import { BACKENDS } from '../testing/databases';
import { bearer, startTestServer, type TestServer } from '../testing/server';
import { nextLocalDay } from './catalogue';

const pgUrl = inject('postgresUrl');
const versions = { [SYNC_HEADERS.protocol]: String(SYNC_PROTOCOL_VERSION), [SYNC_HEADERS.schema]: String(SYNC_SCHEMA_VERSION) };
const proofOf = (code: string, salt: string) => pbkdf2Sync(code, Buffer.from(salt, 'base64url'), RELEASE_PBKDF2_ITERATIONS, 32, 'sha256').toString('base64url');

describe.each(BACKENDS)('release passwords (放号密码) on %s', (dialect) => {
  let server: TestServer;
  let manager = '';
  const today = localDay(Date.now(), 'Asia/Shanghai');

  beforeAll(async () => {
    server = await startTestServer(dialect, pgUrl);
    manager = await server.login('t1-manager');
    // A group no ID card reveals, beside the fixture's age group.
    const rules = (await api('GET', '/halls/t1-hall', manager)).body.callingRules;
    const put = await api('PUT', '/halls/t1-hall/calling-rules', manager, { ...rules, priorityGroups: [...rules.priorityGroups, { id: 'disabled', name: { zh: '残疾人' } }] });
    expect(put.status).toBe(200);
  });
  afterAll(async () => server.dispose());

  async function api(method: 'GET' | 'POST' | 'PUT', url: string, token: string, payload?: Record<string, unknown>) {
    const response = await server.app.inject({ method, url: `/api/v1${url}`, headers: { ...versions, ...bearer(token) }, ...(payload === undefined ? {} : { payload }) });
    return { status: response.statusCode, body: String(response.headers['content-type']).includes('json') ? response.json() : response.body };
  }

  async function kiosk(id: string) {
    const created = await api('POST', '/sync/devices', manager, { id, hallId: 't1-hall', role: 'kiosk', name: id });
    const enrolled = await server.app.inject({ method: 'POST', url: '/api/v1/sync/enroll', headers: versions, payload: { code: created.body.enrollmentCode } });
    const credential = enrolled.json().credential as string;
    const epoch = `epoch-${randomBytes(4).toString('hex')}`;
    let seq = 0;
    const block = (await api('POST', '/sync/leases', credential, { queueId: 't1-qa', day: today, count: 20 })).body.block as { start: number };
    let next = block.start;
    return {
      verifiers: async (): Promise<ReleaseVerifier[]> => (await api('GET', '/sync/catalogue', credential)).body.releases ?? [],
      issue: async (extra: Record<string, unknown>): Promise<PushResponse['results'][number]> => {
        seq += 1;
        const payload = { ticketId: uuidV7(Date.now(), randomBytes(10)), queueId: 't1-qa', serviceIds: ['t1-svc-1'], kind: 'walk_in', sequence: next++, at: new Date().toISOString(), ...extra };
        const mutation = { id: uuidV7(Date.now(), randomBytes(10)), deviceId: id, epoch, seq, type: 'issueTicket', payload, hlc: `h-${seq}` };
        const pushed = (await api('POST', '/sync/push', credential, { epoch, mutations: [mutation] })).body as PushResponse;
        return pushed.results[0]!;
      },
    };
  }

  const create = async (body: Record<string, unknown>) => {
    const created = await api('POST', '/admin/halls/t1-hall/release-passwords', manager, body);
    expect(created.status).toBe(200);
    return created.body as { id: string; serial: number; code: string };
  };

  const claim = (password: { id: string; serial: number }, v: ReleaseVerifier, proof: string) => ({
    release: { passwordId: password.id, serial: password.serial, kind: v.kind, maxUses: v.maxUses, proof, reason: 'disability' },
  });

  it('accepts a special ticket with the typed code once, refuses its second use at another kiosk, and lists it for supervision', async () => {
    const password = await create({ day: today, kind: 'special', priorityGroupId: 'disabled', maxUses: 1 });
    expect(password.code).toMatch(/^\d{8}$/);
    const first = await kiosk('k-rel-1');
    const second = await kiosk('k-rel-2');
    const verifier = (await first.verifiers()).find((v) => v.id === password.id)!;
    // The kiosk gets a verifier, never the code.
    expect(verifier).toMatchObject({ serial: password.serial, kind: 'special', priorityGroupId: 'disabled', maxUses: 1, used: 0 });
    expect(JSON.stringify(verifier)).not.toContain(password.code);
    const proof = proofOf(password.code, verifier.salt);

    expect(await first.issue({ priorityGroupId: 'disabled', ...claim(password, verifier, proof) })).toMatchObject({ status: 'applied' });
    // The same single-use password typed at a second kiosk during an outage: refused when it syncs.
    expect(await second.issue({ priorityGroupId: 'disabled', ...claim(password, verifier, proof) })).toMatchObject({ status: 'rejected', code: 'release_used' });
    expect((await second.verifiers()).find((v) => v.id === password.id)?.used).toBe(1);

    const listed = await api('GET', `/admin/halls/t1-hall/released-tickets?from=${today}&to=${today}&kind=special`, manager);
    expect(listed.body.tickets).toMatchObject([{ serial: password.serial, kind: 'special', priorityGroupId: 'disabled', reason: 'disability', deviceId: 'k-rel-1' }]);
    const passwords = await api('GET', `/admin/halls/t1-hall/release-passwords?from=${today}&to=${today}`, manager);
    expect(JSON.stringify(passwords.body)).not.toContain(password.code);
    expect(passwords.body.passwords.find((p: { id: string }) => p.id === password.id)).toMatchObject({ used: 1, maxUses: 1 });

    const csv = await api('GET', `/admin/halls/t1-hall/released-tickets/export?from=${today}&to=${today}`, manager);
    expect(csv.status).toBe(200);
    expect(csv.body).toContain(listed.body.tickets[0].number);
    expect(await listAudit(server.db.database.db, { entity: 'released_tickets' })).toMatchObject([{ action: 'export', hallId: 't1-hall' }]);
    expect((await listAudit(server.db.database.db, { entity: 'release_password' })).length).toBeGreaterThan(0);
  });

  it('refuses a screen-chosen group without a release, a forged proof, another day\'s and a revoked password', async () => {
    const device = await kiosk('k-rel-3');
    expect(await device.issue({ priorityGroupId: 'disabled' })).toMatchObject({ status: 'rejected', code: 'release_required' });

    const password = await create({ day: today, kind: 'special', priorityGroupId: 'disabled', maxUses: 3 });
    const verifier = (await device.verifiers()).find((v) => v.id === password.id)!;
    const forged = randomBytes(32).toString('base64url');
    expect(await device.issue({ priorityGroupId: 'disabled', ...claim(password, verifier, forged) })).toMatchObject({ status: 'rejected', code: 'release_wrong' });
    // The verifier itself is no proof: a stolen kiosk cannot replay what it holds.
    expect(await device.issue({ priorityGroupId: 'disabled', ...claim(password, verifier, verifier.verifier) })).toMatchObject({ status: 'rejected', code: 'release_wrong' });
    // A special password does not make an on-site ticket, nor another group.
    const proof = proofOf(password.code, verifier.salt);
    expect(await device.issue({ priorityGroupId: 'elderly', ...claim(password, verifier, proof) })).toMatchObject({ status: 'rejected', code: 'release_mismatch' });

    const tomorrow = await create({ day: nextLocalDay(today), kind: 'on_site', maxUses: 1 });
    const later = (await device.verifiers()).find((v) => v.id === tomorrow.id)!;
    expect(later.day).toBe(nextLocalDay(today));
    expect(await device.issue(claim(tomorrow, later, proofOf(tomorrow.code, later.salt)))).toMatchObject({ status: 'rejected', code: 'release_expired' });

    expect((await api('POST', `/admin/halls/t1-hall/release-passwords/${password.id}/revoke`, manager)).status).toBe(200);
    expect((await device.verifiers()).some((v) => v.id === password.id)).toBe(false);
    expect(await device.issue({ priorityGroupId: 'disabled', ...claim(password, verifier, proof) })).toMatchObject({ status: 'rejected', code: 'release_revoked' });
  });

  it('makes passwords for today or tomorrow only, special ones for a group the card does not reveal, by a manager only', async () => {
    expect((await api('POST', '/admin/halls/t1-hall/release-passwords', manager, { day: '2020-01-01', kind: 'on_site' })).status).toBe(400);
    expect((await api('POST', '/admin/halls/t1-hall/release-passwords', manager, { day: today, kind: 'special', priorityGroupId: 'elderly' })).status).toBe(400);
    expect((await api('POST', '/admin/halls/t1-hall/release-passwords', manager, { day: today, kind: 'special' })).status).toBe(400);
    const clerk = await server.login('t1-clerk');
    expect((await api('POST', '/admin/halls/t1-hall/release-passwords', clerk, { day: today, kind: 'on_site' })).status).toBe(403);
  });
});
