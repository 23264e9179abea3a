import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Counter, Queue } from '@hall/shared';
import { insertBlacklistEntry } from '../store/appointments';
import { listAudit } from '../store/audit';
import { BACKENDS } from '../testing/databases';
import { fakeCitizen, fixtureService } from '../testing/fixture';
import { bearer, startTestServer, type TestServer } from '../testing/server';

const pgUrl = inject('postgresUrl');

describe.each(BACKENDS)('admin writes on %s', (dialect) => {
  let server: TestServer;
  const tokens: Record<'manager1' | 'manager2' | 'clerk1' | 'admin', string> = { manager1: '', manager2: '', clerk1: '', admin: '' };
  const call = (method: 'POST' | 'PUT' | 'PATCH' | 'GET', url: string, who?: keyof typeof tokens, payload?: unknown) =>
    server.app.inject({ method, url: `/api/v1${url}`, headers: who ? bearer(tokens[who]) : {}, ...(payload !== undefined && { payload: payload as object }) });

  beforeAll(async () => {
    server = await startTestServer(dialect, pgUrl);
    tokens.manager1 = await server.login('t1-manager');
    tokens.manager2 = await server.login('t2-manager');
    tokens.clerk1 = await server.login('t1-clerk');
    tokens.admin = await server.login('city-admin');
  });
  afterAll(async () => server.dispose());

  describe('services', () => {
    const fresh = fixtureService('t1', 7, { id: 't1-svc-7', code: 'NEW-7', theme: '车驾管' });

    it('requires a hall manager of the service’s own hall', async () => {
      expect((await call('POST', '/services', undefined, fresh)).statusCode).toBe(401);
      expect((await call('POST', '/services', 'clerk1', fresh)).statusCode).toBe(403);
      const other = await call('POST', '/services', 'manager2', fresh);
      expect(other.statusCode).toBe(403);
      expect(other.json().error.code).toBe('forbidden');
      expect((await call('GET', '/services/t1-svc-7')).statusCode).toBe(404);
    });

    it('creates, audits and serves a new service', async () => {
      const created = await call('POST', '/services', 'manager1', fresh);
      expect(created.statusCode).toBe(201);
      expect(created.json().service.code).toBe('NEW-7');
      expect((await call('GET', '/services/t1-svc-7')).json().service.decisionTree.rootQuestionId).toBe('q-who');
      expect((await call('GET', '/themes?hallId=t1-hall')).json().themes).toContainEqual({ theme: '车驾管', serviceCount: 1 });
      const audit = await listAudit(server.db.database.db, { entity: 'service', entityId: 't1-svc-7' });
      expect(audit).toMatchObject([{ action: 'create', actor: { kind: 'staff', id: 't1-mgr' }, hallId: 't1-hall' }]);
    });

    it('refuses duplicates, dangling references and broken trees without writing', async () => {
      const duplicate = await call('POST', '/services', 'manager1', fresh);
      expect(duplicate.statusCode).toBe(409);
      expect(duplicate.json().error.code).toBe('conflict');

      const dangling = await call('POST', '/services', 'manager1', { ...fresh, id: 't1-svc-8', code: 'NEW-8', queueId: 't2-qa' });
      expect(dangling.statusCode).toBe(422);
      expect(dangling.json().error.code).toBe('unknown_reference');
      const noDept = await call('POST', '/services', 'admin', { ...fresh, id: 't1-svc-8', code: 'NEW-8', departmentId: 'ghost' });
      expect(noDept.statusCode).toBe(422);

      const tree = structuredClone(fresh.decisionTree!);
      tree.questions[0]!.options[1]!.next = { type: 'question', questionId: 'q-missing' };
      const broken = await call('POST', '/services', 'manager1', { ...fresh, id: 't1-svc-9', code: 'NEW-9', decisionTree: tree });
      expect(broken.statusCode).toBe(400);
      expect(broken.json().error).toMatchObject({ code: 'invalid_service', details: expect.arrayContaining([expect.stringContaining('q-missing')]) });
      expect((await call('GET', '/services/t1-svc-8')).statusCode).toBe(404);
      expect((await call('GET', '/services/t1-svc-9')).statusCode).toBe(404);
    });

    it('updates a service in place', async () => {
      const changed = { ...fresh, name: { zh: '新名称' }, dailyCap: 40 };
      const mismatch = await call('PUT', '/services/t1-svc-1', 'manager1', changed);
      expect(mismatch.statusCode).toBe(400);
      expect((await call('PUT', '/services/t1-svc-7', 'manager2', changed)).statusCode).toBe(403);
      const updated = await call('PUT', '/services/t1-svc-7', 'manager1', changed);
      expect(updated.statusCode).toBe(200);
      expect(updated.json().service).toMatchObject({ name: { zh: '新名称' }, dailyCap: 40 });
      expect((await call('PUT', '/services/ghost', 'admin', { ...changed, id: 'ghost' })).statusCode).toBe(404);
    });
  });

  describe('counters and queues', () => {
    const counter: Counter = {
      id: 't1-c9',
      hallId: 't1-hall',
      number: '9',
      name: { zh: '9号窗口' },
      kind: 'delivery',
      services: [{ serviceId: 't1-svc-1', priority: 3 }],
      queueIds: ['t1-qa'],
    };
    const queue: Queue = { id: 't1-qc', hallId: 't1-hall', prefix: 'C', name: { zh: '领证' }, serviceIds: ['t1-svc-1'], kinds: ['pickup'], numberDigits: 3 };

    it('creates and updates a counter within the manager’s hall', async () => {
      expect((await call('POST', '/counters', 'manager2', counter)).statusCode).toBe(403);
      expect((await call('POST', '/counters', 'manager1', { ...counter, services: [{ serviceId: 't2-svc-1', priority: 1 }] })).statusCode).toBe(422);
      const created = await call('POST', '/counters', 'manager1', counter);
      expect(created.statusCode).toBe(201);
      expect(created.json().counter).toEqual({ ...counter, state: { status: 'closed' } });
      expect((await call('POST', '/counters', 'manager1', { ...counter, id: 't1-c10' })).statusCode).toBe(409); // number 9 taken

      const moved = { ...counter, services: [{ serviceId: 't1-svc-2', priority: 1 }, { serviceId: 't1-svc-1', priority: 5 }] };
      const updated = await call('PUT', '/counters/t1-c9', 'manager1', moved);
      expect(updated.statusCode).toBe(200);
      expect(updated.json().counter.services).toEqual(moved.services);
      expect((await call('PUT', '/counters/t1-c9', 'manager1', { ...moved, hallId: 't2-hall' })).statusCode).toBe(400);
    });

    it('creates and updates a queue; prefixes are unique per hall', async () => {
      expect((await call('POST', '/queues', 'clerk1', queue)).statusCode).toBe(403);
      expect((await call('POST', '/queues', 'manager1', queue)).statusCode).toBe(201);
      expect((await call('POST', '/queues', 'manager1', { ...queue, id: 't1-qd' })).statusCode).toBe(409);
      expect((await call('POST', '/queues', 'manager2', { ...queue, id: 't2-qc', hallId: 't2-hall', serviceIds: [] })).statusCode).toBe(201);
      const updated = await call('PUT', '/queues/t1-qc', 'manager1', { ...queue, name: { zh: '领证出件' } });
      expect(updated.json().queue.name).toEqual({ zh: '领证出件' });
      // A consultation letter is the queue's own: not another queue's prefix, not its own.
      expect((await call('PUT', '/queues/t1-qc', 'manager1', { ...queue, consultationPrefix: 'A' })).statusCode).toBe(409);
      expect((await call('PUT', '/queues/t1-qc', 'manager1', { ...queue, consultationPrefix: 'C' })).statusCode).toBe(409);
      const lettered = await call('PUT', '/queues/t1-qc', 'manager1', { ...queue, consultationPrefix: 'Y' });
      expect(lettered.statusCode).toBe(200);
      expect((await call('GET', '/queues/t1-qc')).json().queue.consultationPrefix).toBe('Y');
      expect((await call('POST', '/queues', 'manager1', { ...queue, id: 't1-qe', prefix: 'Y' })).statusCode).toBe(409);
    });
  });

  it('replaces a hall’s calling rules for its manager only', async () => {
    const rules = (await call('GET', '/halls/t1-hall')).json().callingRules;
    const changed = { ...rules, normalPerPriority: 3, maxRecalls: 2 };
    expect((await call('PUT', '/halls/t1-hall/calling-rules', 'clerk1', changed)).statusCode).toBe(403);
    expect((await call('PUT', '/halls/t1-hall/calling-rules', 'manager2', changed)).statusCode).toBe(403);
    expect((await call('PUT', '/halls/t1-hall/calling-rules', 'manager1', { ...changed, ratingTimeoutSeconds: 5 })).statusCode).toBe(400);
    const updated = await call('PUT', '/halls/t1-hall/calling-rules', 'manager1', changed);
    expect(updated.statusCode).toBe(200);
    expect(updated.json().callingRules).toEqual(changed);
    expect((await call('GET', '/halls/t1-hall')).json().callingRules).toEqual(changed);
    expect((await call('PUT', '/halls/ghost/calling-rules', 'admin', changed)).statusCode).toBe(404);
  });

  describe('staff', () => {
    const newClerk = { id: 't1-clerk2', hallId: 't1-hall', login: 't1-newclerk', displayName: '孙*', staffNumber: 't1009', roles: ['clerk'], password: 'a-long-password' };

    it('lists staff for supervisors and managers of the hall only', async () => {
      expect((await call('GET', '/halls/t1-hall/staff', 'clerk1')).statusCode).toBe(403);
      expect((await call('GET', '/halls/t1-hall/staff', 'manager2')).statusCode).toBe(403);
      const list = await call('GET', '/halls/t1-hall/staff', 'manager1');
      expect(list.statusCode).toBe(200);
      expect(list.body).not.toMatch(/scrypt|password_hash|passwordHash/);
    });

    it('creates staff without echoing secrets, and the new account can log in', async () => {
      const created = await call('POST', '/staff', 'manager1', newClerk);
      expect(created.statusCode).toBe(201);
      expect(created.body).not.toMatch(/a-long-password|scrypt/);
      expect(created.json().staff).toEqual({ id: 't1-clerk2', hallId: 't1-hall', login: 't1-newclerk', displayName: '孙*', staffNumber: 't1009', roles: ['clerk'], active: true });
      expect((await server.login('t1-newclerk', 'a-long-password')).length).toBeGreaterThan(10);
      const audit = await listAudit(server.db.database.db, { entity: 'staff', entityId: 't1-clerk2' });
      expect(JSON.stringify(audit)).not.toContain('a-long-password');
    });

    it('keeps city-level powers with the city administrator', async () => {
      expect((await call('POST', '/staff', 'manager1', { ...newClerk, id: 'x1', login: 'x-one', roles: ['city_admin'] })).statusCode).toBe(403);
      expect((await call('POST', '/staff', 'manager1', { ...newClerk, id: 'x2', login: 'x-two', hallId: null })).statusCode).toBe(403);
      expect((await call('POST', '/staff', 'manager1', { ...newClerk, id: 'x3', login: 'x-three', hallId: 't2-hall' })).statusCode).toBe(403);
      expect((await call('POST', '/staff', 'admin', { ...newClerk, id: 'x4', login: 'x-four', hallId: null, roles: ['city_admin'] })).statusCode).toBe(201);
      expect((await call('POST', '/staff', 'manager1', { ...newClerk, id: 'x5', login: 't1-newclerk' })).statusCode).toBe(409);
    });

    it('resets a password and changes roles', async () => {
      const reset = await call('PATCH', '/staff/t1-clerk2', 'manager1', { password: 'another-password', roles: ['clerk', 'supervisor'] });
      expect(reset.statusCode).toBe(200);
      expect(reset.json().staff.roles).toEqual(['clerk', 'supervisor']);
      await expect(server.login('t1-newclerk', 'a-long-password')).rejects.toThrow(/401/);
      await server.login('t1-newclerk', 'another-password');
      expect((await call('PATCH', '/staff/t1-clerk2', 'manager1', { passwordHash: 'x' })).statusCode).toBe(400);
      expect((await call('PATCH', '/staff/t1-clerk2', 'manager1', { password: 'short' })).statusCode).toBe(400);
      expect((await call('PATCH', '/staff/ghost', 'manager1', { active: false })).statusCode).toBe(404);
      expect((await call('GET', '/staff/t1-clerk2', 'clerk1')).statusCode).toBe(403);
      expect((await call('GET', '/staff/t1-clerk', 'clerk1')).json().staff.id).toBe('t1-clerk');
    });
  });

  describe('appointments and blacklist', () => {
    const booking = { hallId: 't1-hall', serviceId: 't1-svc-1', date: '2026-03-10', slot: { from: '09:00', to: '09:30' }, citizen: fakeCitizen('a') };

    it('books, lists and cancels once', async () => {
      expect((await call('POST', '/appointments', 'manager2', booking)).statusCode).toBe(403);
      const created = await call('POST', '/appointments', 'clerk1', booking);
      expect(created.statusCode).toBe(201);
      const appointment = created.json().appointment;
      expect(appointment).toMatchObject({ ...booking, status: 'booked' });
      const list = await call('GET', '/halls/t1-hall/appointments?date=2026-03-10', 'clerk1');
      expect(list.json().appointments.map((a: { id: string }) => a.id)).toEqual([appointment.id]);
      expect((await call('GET', '/halls/t1-hall/appointments?date=2026-03-11', 'clerk1')).json().appointments).toEqual([]);
      const cancelled = await call('POST', `/appointments/${appointment.id}/cancel`, 'clerk1');
      expect(cancelled.json().appointment.status).toBe('cancelled');
      const again = await call('POST', `/appointments/${appointment.id}/cancel`, 'clerk1');
      expect(again.statusCode).toBe(409);
      const audit = await listAudit(server.db.database.db, { entity: 'appointment', entityId: appointment.id });
      expect(audit.map((a) => a.action).sort()).toEqual(['cancel', 'create']);
    });

    it('refuses bookings for services of another hall and bad slots', async () => {
      expect((await call('POST', '/appointments', 'clerk1', { ...booking, serviceId: 't2-svc-1' })).statusCode).toBe(422);
      expect((await call('POST', '/appointments', 'clerk1', { ...booking, slot: { from: '10:00', to: '09:00' } })).statusCode).toBe(400);
      expect((await call('POST', '/appointments', 'clerk1', { ...booking, citizen: { maskedName: '李*', idHash: 'abc' } })).statusCode).toBe(400);
      expect((await call('POST', '/appointments', 'clerk1', { ...booking, idNumber: '440101' })).statusCode).toBe(400);
    });

    it('refuses blacklisted citizens and answers blacklist checks', async () => {
      const barred = fakeCitizen('barred');
      await insertBlacklistEntry(server.db.database.db, { id: 'bl-1', idHash: barred.idHash, reason: '多次爽约', from: '2026-03-01', until: '2026-03-31' });
      const refused = await call('POST', '/appointments', 'clerk1', { ...booking, citizen: barred });
      expect(refused.statusCode).toBe(403);
      expect(refused.json().error).toMatchObject({ code: 'blacklisted', details: { until: '2026-03-31' } });
      expect((await call('POST', '/appointments', 'clerk1', { ...booking, date: '2026-04-01', citizen: barred })).statusCode).toBe(201);

      expect((await call('POST', '/blacklist/check', undefined, { idHash: barred.idHash })).statusCode).toBe(401);
      const hit = await call('POST', '/blacklist/check', 'clerk1', { idHash: barred.idHash, date: '2026-03-31' });
      // An entry from before sources were kept answers as legacy.
      expect(hit.json()).toEqual({ blacklisted: true, until: '2026-03-31', reason: '多次爽约', source: 'legacy' });
      const miss = await call('POST', '/blacklist/check', 'clerk1', { idHash: barred.idHash, date: '2026-04-01' });
      expect(miss.json()).toEqual({ blacklisted: false });
      expect((await call('POST', '/blacklist/check', 'clerk1', { idHash: 'XYZ' })).statusCode).toBe(400);
    });
  });

  it('recorded every write above in the audit log', async () => {
    const entries = await listAudit(server.db.database.db, { limit: 500 });
    const kinds = new Set(entries.map((e) => `${e.entity}:${e.action}`));
    for (const kind of ['calling_rules:update', 'service:create', 'service:update', 'counter:create', 'counter:update', 'queue:create', 'queue:update', 'staff:create', 'staff:update', 'appointment:create']) {
      expect(kinds, kind).toContain(kind);
    }
  });
});
