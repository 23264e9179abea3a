import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { makeTestIdNumber, type Appointment } from '@hall/shared';
import { sealContext } from '../secrets/atRest';
import { smsDb } from '../sms/outbox';
import { BACKENDS } from '../testing/databases';
import { bearer, startTestServer, type TestServer } from '../testing/server';

const pgUrl = inject('postgresUrl');

describe.each(BACKENDS)('no-shows and the blacklist on %s', (dialect) => {
  let server: TestServer;
  let manager = '';
  let clerk = '';
  // The hall is Asia/Shanghai; 02:00Z is 10:00 there. The late allowance of fixture hall t1 is 15 minutes.
  let now = new Date('2026-03-02T01:40:00Z');
  const idNumber = makeTestIdNumber({ birthDate: '1968-05-06', sequence: 31 });
  const phone = '13800138000';

  beforeAll(async () => {
    server = await startTestServer(dialect, pgUrl, { clock: () => now, noShowIntervalMs: 0 });
    manager = await server.login('t1-manager');
    clerk = await server.login('t1-clerk');
  });
  afterAll(async () => server.dispose());

  /** Moves the hall's clock; sessions do not outlive a day of it, so staff sign in again. */
  const advance = async (iso: string) => {
    now = new Date(iso);
    manager = await server.login('t1-manager');
    clerk = await server.login('t1-clerk');
  };
  const call = (method: 'GET' | 'POST' | 'PUT', url: string, token: string, payload?: unknown) =>
    server.app.inject({ method, url: `/api/v1${url}`, headers: bearer(token), ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
  const book = (date: string) =>
    call('POST', '/appointments', clerk, { hallId: 't1-hall', serviceId: 't1-svc-1', date, slot: { from: '09:00', to: '09:30' }, citizen: { idNumber, name: '李四' }, phone });
  const run = async () => (await call('POST', '/halls/t1-hall/no-shows/run', manager)).json() as { marked: number; barred: number };
  const status = async (id: string) => ((await call('GET', `/appointments/${id}`, manager)).json() as { appointment: Appointment }).appointment.status;

  it('marks a booked appointment a no-show once its slot and the late allowance have passed, once', async () => {
    expect((await call('PUT', '/halls/t1-hall/no-show-rule', clerk, { noShows: 2, windowDays: 30, barDays: 30 })).statusCode).toBe(403);
    expect((await call('PUT', '/halls/t1-hall/no-show-rule', manager, { noShows: 2, windowDays: 30, barDays: 30 })).statusCode).toBe(200);
    const first = (await book('2026-03-02')).json() as { appointment: Appointment };
    // 09:40: inside the 15-minute allowance after 09:30.
    expect(await run()).toEqual({ marked: 0, barred: 0 });
    expect(await status(first.appointment.id)).toBe('booked');
    now = new Date('2026-03-02T01:46:00Z');
    expect(await run()).toEqual({ marked: 1, barred: 0 });
    expect(await status(first.appointment.id)).toBe('no_show');
    expect(await run()).toEqual({ marked: 0, barred: 0 });
    const audit = await server.db.database.db.selectFrom('audit_log').selectAll().where('entity_id', '=', first.appointment.id).where('action', '=', 'no_show').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor_kind).toBe('system');
  });

  it('bars the citizen on the Nth no-show, queues an SMS, refuses bookings; lifting (audited) allows them again', async () => {
    const second = (await book('2026-03-03')).json() as { appointment: Appointment };
    await advance('2026-03-03T03:00:00Z');
    expect(await run()).toEqual({ marked: 1, barred: 1 });
    expect(await status(second.appointment.id)).toBe('no_show');

    const listed = (await call('GET', `/halls/t1-hall/blacklist?idNumber=${idNumber}`, manager)).json() as { entries: { id: string; until: string; reason: string; source: string; maskedName: string }[] };
    expect(listed.entries).toHaveLength(1);
    const entry = listed.entries[0]!;
    expect(entry).toMatchObject({ until: '2026-04-01', source: 'no_show', maskedName: '李*', reason: '30天内预约未到2次' });
    expect(JSON.stringify(listed)).not.toContain(idNumber.slice(0, 17));
    expect(((await call('GET', '/halls/t1-hall/blacklist?name=李', manager)).json() as { entries: unknown[] }).entries).toHaveLength(1);

    const sms = await smsDb(server.db.database.db).selectFrom('sms_outbox').selectAll().where('idempotency_key', '=', `blacklist:${entry.id}`).execute();
    expect(sms).toHaveLength(1);
    expect(sms[0]!.template).toBe('blacklist_barred');
    expect(sms[0]!.phone).not.toContain(phone);
    expect(server.app.hall.dataKeys.open(sms[0]!.phone, sealContext({ table: 'sms_outbox', column: 'phone' }, sms[0]!.id))).toBe(phone);
    // The booked number is sealed at rest too.
    const stored = await server.db.database.db.selectFrom('appointments').select('citizen_phone').where('id', '=', second.appointment.id).executeTakeFirstOrThrow();
    expect(stored.citizen_phone).not.toContain(phone);

    const refused = await book('2026-03-10');
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error).toMatchObject({ code: 'blacklisted', details: { until: '2026-04-01', reason: '30天内预约未到2次' } });

    const hashes = (await call('GET', '/halls/t1-hall/blacklist/hashes', manager)).json() as { entries: { idHash: string; until: string; source: string }[] };
    expect(hashes.entries.map((e) => [e.until, e.source])).toEqual([['2026-04-01', 'no_show']]);
    const standing = (await call('POST', '/halls/t1-hall/citizen-standing', clerk, { idHash: hashes.entries[0]!.idHash })).json();
    expect(standing).toEqual({ noShows: 2, windowDays: 30, barred: { until: '2026-04-01', reason: '30天内预约未到2次' } });

    expect((await call('POST', `/blacklist/${entry.id}/lift`, manager, { reason: '' })).statusCode).toBe(400);
    expect((await call('POST', `/blacklist/${entry.id}/lift`, clerk, { reason: '核实系交通事故' })).statusCode).toBe(403);
    const lifted = await call('POST', `/blacklist/${entry.id}/lift`, manager, { reason: '核实系交通事故' });
    expect(lifted.statusCode).toBe(200);
    expect(lifted.json().entry.lifted).toMatchObject({ reason: '核实系交通事故' });
    expect((await call('POST', `/blacklist/${entry.id}/lift`, manager, { reason: '核实系交通事故' })).statusCode).toBe(409);
    const audit = await server.db.database.db.selectFrom('audit_log').selectAll().where('entity', '=', 'blacklist').where('entity_id', '=', entry.id).execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['create', 'lift']);
    expect((await book('2026-03-10')).statusCode).toBe(201);
    expect(((await call('GET', '/halls/t1-hall/blacklist/hashes', manager)).json() as { entries: unknown[] }).entries).toEqual([]);
  });

  it('lets a manager add an entry by ID number with a reason, and refuses a fragment of a number', async () => {
    const other = makeTestIdNumber({ birthDate: '1990-01-02', sequence: 77 });
    expect((await call('GET', '/halls/t1-hall/blacklist?idNumber=1101', manager)).statusCode).toBe(400);
    expect((await call('POST', '/halls/t1-hall/blacklist', manager, { idNumber: other, reason: '', until: '2026-04-01' })).statusCode).toBe(400);
    const added = await call('POST', '/halls/t1-hall/blacklist', manager, { idNumber: other, name: '王五', reason: '扰乱大厅秩序', until: '2026-04-01' });
    expect(added.statusCode).toBe(201);
    expect(added.json().entry).toMatchObject({ source: 'manual', maskedName: '王*', from: '2026-03-03', until: '2026-04-01' });
    // Another hall's manager neither sees nor books around it there: the entry is t1's.
    const t2 = await server.login('t2-manager');
    expect((await call('GET', '/halls/t1-hall/blacklist', t2)).statusCode).toBe(403);
  });
});
