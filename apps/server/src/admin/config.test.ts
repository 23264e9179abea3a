import { strFromU8, unzipSync } from 'fflate';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { listAudit } from '../store/audit';
import { loadCatalogue } from '../sync/catalogue';
import { BACKENDS } from '../testing/databases';
import { bearer, startTestServer, type TestServer } from '../testing/server';
import { workingDaysBetween } from '../stats/workingDays';
import { hallCalendar } from './calendar';
import { renderHallSms } from './smsTemplates';

const pgUrl = inject('postgresUrl');
const NOW = new Date('2026-03-11T02:00:00.000Z');

describe.each(BACKENDS)('console configuration endpoints on %s', (dialect) => {
  let server: TestServer;
  const tokens = { manager1: '', manager2: '', clerk1: '', admin: '' };
  type Method = 'GET' | 'PUT' | 'POST' | 'PATCH';
  const call = (method: Method, url: string, who: keyof typeof tokens, payload?: object) =>
    server.app.inject({ method, url: `/api/v1${url}`, headers: bearer(tokens[who]), ...(payload ? { payload } : {}) });
  const version = async (hallId = 't1-hall') => (await call('GET', `/admin/halls/${hallId}/config-version`, 'admin')).json().version as number;

  beforeAll(async () => {
    server = await startTestServer(dialect, pgUrl, { clock: () => NOW });
    tokens.manager1 = await server.login('t1-manager');
    tokens.manager2 = await server.login('t2-manager');
    tokens.clerk1 = await server.login('t1-clerk');
    tokens.admin = await server.login('city-admin');
  });
  afterAll(async () => server.dispose());

  it('adds a clerk, assigns counters and queues, resets the password and disables the account, all audited', async () => {
    const before = await version();
    const created = await call('POST', '/staff', 'manager1', {
      id: 't1-clerk-new', hallId: 't1-hall', login: 't1-newclerk', displayName: '周*', staffNumber: 't1009', roles: ['clerk'], password: 'first-pass-1',
    });
    expect(created.statusCode, created.body).toBe(201);
    const assigned = await call('PUT', '/admin/halls/t1-hall/staff/t1-clerk-new/assignment', 'manager1', { counterIds: ['t1-c1', 't1-c1'], queueIds: ['t1-qa'] });
    expect(assigned.statusCode, assigned.body).toBe(200);
    expect(assigned.json().assignment).toEqual({ counterIds: ['t1-c1'], queueIds: ['t1-qa'] });
    const list = (await call('GET', '/admin/halls/t1-hall/staff', 'manager1')).json().staff as { id: string; assignment: unknown; active: boolean }[];
    expect(list.find((s) => s.id === 't1-clerk-new')?.assignment).toEqual({ counterIds: ['t1-c1'], queueIds: ['t1-qa'] });
    expect(list.find((s) => s.id === 't1-clerk')?.assignment).toEqual({ counterIds: [], queueIds: [] });

    expect((await call('PATCH', '/staff/t1-clerk-new', 'manager1', { password: 'second-pass-2' })).statusCode).toBe(200);
    await expect(server.login('t1-newclerk', 'first-pass-1')).rejects.toThrow(/401/);
    expect(await server.login('t1-newclerk', 'second-pass-2')).toBeTruthy();
    expect((await call('PATCH', '/staff/t1-clerk-new', 'manager1', { active: false })).statusCode).toBe(200);
    await expect(server.login('t1-newclerk', 'second-pass-2')).rejects.toThrow(/login t1-newclerk failed/);

    const audit = await listAudit(server.db.database.db, { entity: 'staff', entityId: 't1-clerk-new' });
    expect(audit.map((a) => a.action).filter((a) => a !== 'login').sort()).toEqual(['create', 'update', 'update', 'update']);
    expect(JSON.stringify(audit)).not.toContain('second-pass-2');
    expect(await version()).toBe(before + 4);
  });

  it('keeps staff to their hall: other halls, foreign counters and city roles are refused', async () => {
    expect((await call('GET', '/admin/halls/t1-hall/staff', 'manager2')).statusCode).toBe(403);
    expect((await call('PUT', '/admin/halls/t1-hall/staff/t1-clerk/assignment', 'manager2', { counterIds: [], queueIds: [] })).statusCode).toBe(403);
    expect((await call('PUT', '/admin/halls/t1-hall/staff/t1-clerk/assignment', 'clerk1', { counterIds: [], queueIds: [] })).statusCode).toBe(403);
    // A staff member of another hall is not found through this hall.
    expect((await call('PUT', '/admin/halls/t1-hall/staff/t2-clerk/assignment', 'manager1', { counterIds: [], queueIds: [] })).statusCode).toBe(404);
    const foreign = await call('PUT', '/admin/halls/t1-hall/staff/t1-clerk/assignment', 'manager1', { counterIds: ['t2-c1'], queueIds: [] });
    expect(foreign.statusCode).toBe(422);
    expect((await call('PATCH', '/staff/t1-clerk', 'manager1', { roles: ['city_admin'] })).statusCode).toBe(403);
    expect((await call('PATCH', '/staff/t2-clerk', 'manager1', { active: false })).statusCode).toBe(403);
    expect((await call('GET', '/admin/halls/t1-hall/staff', 'manager1')).json().staff.find((s: { id: string }) => s.id === 't1-clerk').assignment).toEqual({
      counterIds: [],
      queueIds: [],
    });
  });

  it('saves a form edit as a new version with a validation pattern, refusing stale, invalid and foreign edits', async () => {
    const listed = await call('GET', '/admin/halls/t1-hall/forms', 'manager1');
    expect(listed.statusCode).toBe(200);
    const [entry] = listed.json().forms as { form: { id: string; version: number; title: object; sections: { fields: object[] }[] }; services: { id: string }[] }[];
    expect(entry?.form.id).toBe('t1-form');
    expect(entry?.services.map((s) => s.id)).toEqual(['t1-svc-1', 't1-svc-2']);
    const sections = structuredClone(entry!.form.sections);
    sections[0]!.fields.push({ id: 'postcode', label: { zh: '邮政编码' }, kind: 'text', required: false, pattern: '\\d{6}', autofill: [] });
    const before = await version();
    const saved = await call('PUT', '/admin/halls/t1-hall/forms/t1-form', 'manager1', { baseVersion: 1, title: entry!.form.title, sections });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().form.version).toBe(2);
    expect(saved.json().form.sections[0].fields.at(-1)).toMatchObject({ id: 'postcode', pattern: '\\d{6}' });
    expect(await version()).toBe(before + 1);
    // Cases filled with version 1 still read it.
    expect((await call('GET', '/forms/t1-form/versions/1', 'manager1')).json().form.sections[0].fields).toHaveLength(3);

    const stale = await call('PUT', '/admin/halls/t1-hall/forms/t1-form', 'manager1', { baseVersion: 1, title: entry!.form.title, sections });
    expect(stale.statusCode).toBe(409);
    const badPattern = structuredClone(sections);
    (badPattern[0]!.fields.at(-1) as { pattern: string }).pattern = '([';
    expect((await call('PUT', '/admin/halls/t1-hall/forms/t1-form', 'manager1', { baseVersion: 2, title: entry!.form.title, sections: badPattern })).statusCode).toBe(400);
    const twice = structuredClone(sections);
    twice[0]!.fields.push(twice[0]!.fields[0]!);
    expect((await call('PUT', '/admin/halls/t1-hall/forms/t1-form', 'manager1', { baseVersion: 2, title: entry!.form.title, sections: twice })).statusCode).toBe(400);
    expect((await call('PUT', '/admin/halls/t1-hall/forms/t1-form', 'manager2', { baseVersion: 2, title: entry!.form.title, sections })).statusCode).toBe(403);
    expect((await call('PUT', '/admin/halls/t2-hall/forms/t1-form', 'manager2', { baseVersion: 2, title: entry!.form.title, sections })).statusCode).toBe(404);
    expect((await call('GET', '/admin/halls/t1-hall/forms', 'manager2')).statusCode).toBe(403);

    // Once another hall's service uses the form, only the city administrator edits it.
    await sql`update services set form_id = 't1-form' where id = 't2-svc-2'`.execute(server.db.database.db);
    const shared = await call('PUT', '/admin/halls/t1-hall/forms/t1-form', 'manager1', { baseVersion: 2, title: entry!.form.title, sections });
    expect(shared.statusCode).toBe(409);
    expect(shared.json().error.code).toBe('shared_form');
    expect((await call('PUT', '/admin/halls/t1-hall/forms/t1-form', 'admin', { baseVersion: 2, title: entry!.form.title, sections })).statusCode).toBe(200);
    await sql`update services set form_id = 't2-form' where id = 't2-svc-2'`.execute(server.db.database.db);
  });

  it('edits SMS wording per hall with placeholders, previews masked samples and renders the hall’s text', async () => {
    const list = (await call('GET', '/admin/halls/t1-hall/sms-templates', 'manager1')).json().templates as { template: string; builtIn: string; custom: string | null }[];
    expect(list.map((t) => t.template)).toEqual(['locker_deposited', 'locker_picked_up', 'locker_returned', 'locker_flagged', 'blacklist_barred', 'case_supplement_requested', 'case_supplement_reminder', 'case_closed_overdue', 'case_completed', 'case_refused', 'ticket_missed', 'booking_code', 'booking_confirmed', 'booking_moved', 'booking_cancelled', 'service_paused', 'booking_reminder', 'appraisal_published', 'appeal_answered', 'ticket_position']);
    expect(list[0]!.builtIn).toContain('{pickupCode}');
    expect(list[0]!.custom).toBeNull();

    const noCode = await call('PUT', '/admin/halls/t1-hall/sms-templates/locker_deposited', 'manager1', { body: '【天河大厅】办件{caseNumber}已存柜。' });
    expect(noCode.statusCode).toBe(400);
    expect(noCode.json().error.message).toContain('{pickupCode}');
    const unknown = await call('PUT', '/admin/halls/t1-hall/sms-templates/locker_returned', 'manager1', { body: '【天河大厅】办件{caseNumber}已退回{phone}' });
    expect(unknown.json().error.details).toContain('unknown placeholder {phone}');
    expect((await call('PUT', '/admin/halls/t1-hall/sms-templates/locker_returned', 'manager1', { body: '办件{caseNumber}已退回' })).statusCode).toBe(400);

    const text = '【天河大厅】办件{caseNumber}已存入{lockerName}{compartmentId}号柜，取件码{pickupCode}。';
    const preview = (await call('POST', '/admin/halls/t1-hall/sms-templates/locker_deposited/preview', 'manager1', { body: text })).json();
    expect(preview.problems).toEqual([]);
    expect(preview.text).toContain('取件码********');
    const before = await version();
    const saved = await call('PUT', '/admin/halls/t1-hall/sms-templates/locker_deposited', 'manager1', { body: text });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(await version()).toBe(before + 1);
    const db = server.db.database.db;
    const params = { caseNumber: 'C1', lockerName: '一楼柜', compartmentId: '3', pickupCode: '12345678' };
    expect(await renderHallSms(db, 't1-hall', 'locker_deposited', params)).toBe('【天河大厅】办件C1已存入一楼柜3号柜，取件码12345678。');
    // Hall 2 still sends the built-in text.
    expect(await renderHallSms(db, 't2-hall', 'locker_deposited', params)).toContain('【政务服务大厅】您的办件C1');
    await expect(renderHallSms(db, 't1-hall', 'locker_deposited', { ...params, pickupCode: 'abc' })).rejects.toThrow();

    expect((await call('PUT', '/admin/halls/t1-hall/sms-templates/locker_deposited', 'manager2', { body: text })).statusCode).toBe(403);
    expect((await call('GET', '/admin/halls/t1-hall/sms-templates', 'manager2')).statusCode).toBe(403);
    expect((await call('PUT', '/admin/halls/t1-hall/sms-templates/locker_deposited', 'manager1', { body: null })).statusCode).toBe(200);
    expect(await renderHallSms(db, 't1-hall', 'locker_deposited', params)).toContain('【政务服务大厅】');
    expect(await listAudit(db, { entity: 'sms_template' })).toHaveLength(2);
  });

  it('keeps a holiday calendar with 调休 working days per hall', async () => {
    const change = {
      put: [
        { day: '2026-10-01', kind: 'holiday', name: '国庆节' },
        { day: '2026-10-02', kind: 'holiday', name: '国庆节' },
        { day: '2026-10-10', kind: 'workday', name: '国庆节调休' },
      ],
    };
    const saved = await call('PUT', '/admin/halls/t1-hall/calendar', 'manager1', change);
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().days).toHaveLength(3);
    const moved = await call('PUT', '/admin/halls/t1-hall/calendar', 'manager1', { put: [{ day: '2026-10-02', kind: 'workday', name: '改为上班' }], remove: ['2026-10-01'] });
    expect(moved.json().days).toEqual([
      { day: '2026-10-02', kind: 'workday', name: '改为上班' },
      { day: '2026-10-10', kind: 'workday', name: '国庆节调休' },
    ]);
    const cal = await hallCalendar(server.db.database.db, 't1-hall', [1, 2, 3, 4, 5]);
    expect([...cal.workdays]).toEqual(['2026-10-02', '2026-10-10']);
    expect(cal.holidays.size).toBe(0);
    // 调休: Saturday 10-10 is worked, so Friday 10-09 to Monday 10-12 is two working days, not one.
    expect(workingDaysBetween('2026-10-09', '2026-10-12', cal)).toBe(2);
    expect(workingDaysBetween('2026-10-09', '2026-10-12', { weekdays: cal.weekdays, holidays: cal.holidays })).toBe(1);
    expect((await call('GET', '/admin/halls/t1-hall/calendar?from=2026-10-05&to=2026-10-31', 'manager1')).json().days).toHaveLength(1);

    expect((await call('PUT', '/admin/halls/t1-hall/calendar', 'manager1', { put: [{ day: '2026-02-30', kind: 'holiday', name: 'x' }] })).statusCode).toBe(400);
    expect((await call('PUT', '/admin/halls/t1-hall/calendar', 'manager2', change)).statusCode).toBe(403);
    expect((await call('GET', '/admin/halls/t1-hall/calendar', 'manager2')).statusCode).toBe(403);
    expect((await call('GET', '/admin/halls/t2-hall/calendar', 'manager2')).json().days).toEqual([]);
    expect((await call('GET', '/admin/halls/nowhere/calendar', 'admin')).statusCode).toBe(404);
    expect(await listAudit(server.db.database.db, { entity: 'calendar' })).toHaveLength(2);
  });

  it('gives working-day deadlines the hall’s holidays', async () => {
    const week = { put: ['2026-05-01', '2026-05-04', '2026-05-05'].map((day) => ({ day, kind: 'holiday', name: '劳动节' })) };
    expect((await call('PUT', '/admin/halls/t1-hall/calendar', 'manager1', week)).statusCode).toBe(200);
    const cal = await hallCalendar(server.db.database.db, 't1-hall', [1, 2, 3, 4, 5]);
    // 30 April to 8 May: only 6, 7 and 8 May are working days once the holidays are out.
    expect(workingDaysBetween('2026-04-30', '2026-05-08', cal)).toBe(3);
    expect(workingDaysBetween('2026-04-30', '2026-05-08', { weekdays: [1, 2, 3, 4, 5] })).toBe(6);
  });

  it('keeps queue and counter edits to the manager’s own hall', async () => {
    const queue = (await call('GET', '/queues/t1-qa', 'manager1')).json().queue;
    expect((await call('PUT', '/queues/t1-qa', 'manager2', { ...queue, name: { zh: '改名' } })).statusCode).toBe(403);
    expect((await call('POST', '/queues', 'manager2', { ...queue, id: 'sneaky', prefix: 'Q' })).statusCode).toBe(403);
    const { state: _state, ...counter } = (await call('GET', '/counters/t1-c1', 'manager1')).json().counter;
    expect((await call('PUT', '/counters/t1-c1', 'manager2', { ...counter, number: '99' })).statusCode).toBe(403);
    expect((await call('PUT', '/counters/t1-c1', 'clerk1', { ...counter, number: '99' })).statusCode).toBe(403);
    expect((await call('GET', '/counters/t1-c1', 'manager1')).json().counter.number).toBe('1');
    expect((await call('PUT', '/counters/t1-c1', 'manager1', { ...counter, name: { zh: '一号综合窗口' } })).statusCode).toBe(200);
  });

  it('exports statistics as XLSX, audited like CSV and kept to the manager’s hall', async () => {
    const r = await call('GET', '/stats/export.xlsx?hallId=t1-hall&from=2026-03-01&to=2026-03-31&groupBy=day', 'manager1');
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-type']).toContain('spreadsheetml');
    expect(r.headers['content-disposition']).toContain('hall-stats-day-2026-03-01-2026-03-31.xlsx');
    const files = unzipSync(new Uint8Array(r.rawPayload));
    const xml = Object.entries(files)
      .filter(([name]) => name.startsWith('xl/'))
      .map(([, data]) => strFromU8(data))
      .join('');
    expect(xml).toContain('等候均值（分钟）');
    expect(xml).toContain('满意率');
    expect(xml).toContain('咨询号');
    const audit = await listAudit(server.db.database.db, { entity: 'stats' });
    expect(audit.some((a) => a.action === 'export' && (a.detail as { format?: string } | null)?.format === 'xlsx')).toBe(true);
    expect((await call('GET', '/stats/export.xlsx?hallId=t1-hall&from=2026-03-01&to=2026-03-31', 'manager2')).statusCode).toBe(403);
    expect((await call('GET', '/stats/export.xlsx?hallId=t1-hall&from=2026-03-31&to=2026-03-01', 'manager1')).statusCode).toBe(400);
  });

  it('sends active notices to stations in the catalogue', async () => {
    await call('PUT', '/admin/halls/t1-hall/notices', 'manager1', { id: 'n-on', text: { zh: '今日下午出入境业务暂停' }, active: true });
    await call('PUT', '/admin/halls/t1-hall/notices', 'manager1', { id: 'n-off', text: { zh: '旧公告' }, active: false });
    const catalogue = await loadCatalogue(server.db.database.db, 't1-hall', Date.now() + 60_000);
    expect(catalogue.notices).toEqual([{ id: 'n-on', text: { zh: '今日下午出入境业务暂停' } }]);
    expect((await loadCatalogue(server.db.database.db, 't2-hall', Date.now() + 60_000)).notices).toEqual([]);
  });
});
