import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sql } from 'kysely';
import { BACKENDS } from '../testing/databases';
import { bearer, startTestServer, type TestServer } from '../testing/server';

const pgUrl = inject('postgresUrl');
// Wednesday 2026-03-11, 10:00 in the hall (UTC+8).
const AS_OF = '2026-03-11T02:00:00.000Z';

describe.each(BACKENDS)('time-limit supervision on %s', (dialect) => {
  let server: TestServer;
  const tokens = { manager1: '', manager2: '', admin: '' };
  const get = (url: string, who: keyof typeof tokens) => server.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: bearer(tokens[who]) });

  beforeAll(async () => {
    server = await startTestServer(dialect, pgUrl);
    const db = server.db.database.db;
    const kase = (id: string, hall: string, status: string, dueAt: string, completedAt: string | null = null) =>
      sql`insert into cases (id, hall_id, service_id, answers_json, status, materials_json, submitted_at, accepted_at, due_at, completed_at)
        values (${id}, ${hall}, ${`${hall.slice(0, 2)}-svc-1`}, '{}', ${status}, '[]', '2026-03-01T01:00:00.000Z', '2026-03-01T01:00:00.000Z', ${dueAt}, ${completedAt})`.execute(db);
    await kase('due-today', 't1-hall', 'accepted', '2026-03-11T09:30:00.000Z');
    await kase('one-over', 't1-hall', 'accepted', '2026-03-10T09:30:00.000Z');
    // Due Friday 03-06: three working days (Mon–Wed) over.
    await kase('three-over', 't1-hall', 'submitted', '2026-03-06T09:30:00.000Z');
    await kase('due-tomorrow', 't1-hall', 'accepted', '2026-03-12T09:30:00.000Z');
    await kase('later', 't1-hall', 'accepted', '2026-03-20T09:30:00.000Z');
    await kase('done-late', 't1-hall', 'completed', '2026-03-09T09:30:00.000Z', '2026-03-10T03:00:00.000Z');
    await kase('done-on-time', 't1-hall', 'completed', '2026-03-10T09:30:00.000Z', '2026-03-10T03:00:00.000Z');
    await kase('refused', 't1-hall', 'refused', '2026-03-02T09:30:00.000Z');
    await kase('other-hall', 't2-hall', 'accepted', '2026-03-02T09:30:00.000Z');
    tokens.manager1 = await server.login('t1-manager');
    tokens.manager2 = await server.login('t2-manager');
    tokens.admin = await server.login('city-admin');
  });
  afterAll(async () => server.dispose());

  it('lights each case by working days and counts them per department', async () => {
    const r = await get(`/supervision?hallId=t1-hall&asOf=${AS_OF}`, 'manager1');
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json();
    expect(body.today).toBe('2026-03-11');
    expect(body.cases.map((c: { id: string; light: string; workingDaysOver: number }) => [c.id, c.light, c.workingDaysOver])).toEqual([
      ['three-over', 'red', 3],
      ['done-late', 'orange', 1],
      ['one-over', 'orange', 1],
      ['due-today', 'yellow', 0],
      ['due-tomorrow', 'near', -1],
    ]);
    expect(body.cases[0]).toMatchObject({ serviceName: '户籍证明1', departmentName: '户政', dueDay: '2026-03-06' });
    expect(body.byDepartment).toEqual([{ departmentId: 't1-dept', departmentName: '户政', near: 1, yellow: 1, orange: 2, red: 1 }]);
  });

  it('does not count the hall’s holidays as working days over', async () => {
    const put = (body: unknown) =>
      server.app.inject({ method: 'PUT', url: '/api/v1/admin/halls/t1-hall/calendar', headers: bearer(tokens.manager1), payload: body as object });
    // Monday 9 and Tuesday 10 March made holidays: 'three-over' (due Friday 6th) is one day over, not three.
    const days = ['2026-03-09', '2026-03-10'];
    expect((await put({ put: days.map((day) => ({ day, kind: 'holiday', name: '测试假日' })) })).statusCode).toBe(200);
    try {
      const body = (await get(`/supervision?hallId=t1-hall&asOf=${AS_OF}`, 'manager1')).json();
      const threeOver = body.cases.find((c: { id: string }) => c.id === 'three-over');
      expect(threeOver).toMatchObject({ light: 'orange', workingDaysOver: 1 });
    } finally {
      expect((await put({ put: [], remove: days })).statusCode).toBe(200);
    }
  });

  it('keeps managers to their hall; the city administrator sees every hall', async () => {
    expect((await get(`/supervision?hallId=t1-hall&asOf=${AS_OF}`, 'manager2')).statusCode).toBe(403);
    const own = (await get(`/supervision?asOf=${AS_OF}`, 'manager2')).json();
    expect(own.cases.map((c: { id: string }) => c.id)).toEqual(['other-hall']);
    const all = (await get(`/supervision?asOf=${AS_OF}`, 'admin')).json();
    expect(all.cases).toHaveLength(6);
    expect((await get('/supervision?asOf=yesterday', 'admin')).statusCode).toBe(400);
  });
});
