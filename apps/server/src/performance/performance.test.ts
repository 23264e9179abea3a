import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { localDay } from '@hall/shared';
import { smsDb } from '../sms/index';
import { BACKENDS } from '../testing/databases';
import { FIXTURE_PASSWORD } from '../testing/fixture';
import { apiCall, newMutationId, pushingDevice } from '../testing/devices';
import { startTestServer, type TestServer } from '../testing/server';

const pgUrl = inject('postgresUrl');
/** A fictitious mobile in the 139 0020 test range. */
const CLERK_PHONE = ['139', '0020', '8801'].join('');

/**
 * 窗口绩效 over activity made through the real sync API: two clerks sign in at their counters
 * (one on time, one late), serve and decide cases; the hall manager scores March, publishes
 * (SMS), a clerk appeals once, the manager answers (SMS), and the month report adds it up.
 */
describe.each(BACKENDS)('window performance on %s', (dialect) => {
  let server: TestServer;
  let nowMs = Date.parse('2026-03-03T00:58:00Z'); // Tuesday 08:58 in the hall
  const tokens: Record<string, string> = {};
  const api = (method: 'GET' | 'POST' | 'PUT', url: string, token: string, payload?: Record<string, unknown>) => apiCall(server, method, url, token, payload);
  const device = (id: string, role: 'kiosk' | 'counter', counterId?: string, clerk?: string) =>
    pushingDevice(server, { id, role, hall: 't1', managerToken: tokens.manager!, counterId, ...(clerk ? { clerk } : {}), now: () => nowMs });
  const base = '/admin/halls/t1-hall/performance';
  const sms = async (template: string) => (await smsDb(server.db.database.db).selectFrom('sms_outbox').select('template').where('template', '=', template).execute()).length;
  const relogin = async () => {
    tokens.manager = await server.login('t1-manager');
    tokens.clerkA = await server.login('t1-clerk');
    tokens.clerkB = await server.login('t1-clerk-b');
  };
  let appraisalId = '';

  beforeAll(async () => {
    server = await startTestServer(dialect, pgUrl, { clock: () => new Date(nowMs) });
    tokens.manager = await server.login('t1-manager');
    const created = await api('POST', '/staff', tokens.manager, { id: 't1-clerk-b', hallId: 't1-hall', login: 't1-clerk-b', displayName: '钱*', staffNumber: 't1003', roles: ['clerk'], password: FIXTURE_PASSWORD });
    expect(created.status, JSON.stringify(created.body)).toBe(201);

    // Clerk A signs in at counter 1 at 08:58, serves a ticket (rated satisfied) and accepts two cases.
    const kiosk = await device('perf-kiosk', 'kiosk');
    const counterA = await device('perf-c1', 'counter', 't1-c1');
    const lease = await api('POST', '/sync/leases', kiosk.credential, { queueId: 't1-qa', day: localDay(nowMs, 'Asia/Shanghai'), count: 2 });
    const ticketId = newMutationId();
    expect(await kiosk.push('issueTicket', { ticketId, queueId: 't1-qa', serviceIds: ['t1-svc-1'], kind: 'walk_in', sequence: lease.body.block.start })).toMatchObject({ status: 'applied' });
    nowMs += 5 * 60_000;
    await counterA.push('closeCounter', { counterId: 't1-c1' });
    expect(await counterA.push('openCounter', { counterId: 't1-c1', staffId: 't1-clerk' })).toMatchObject({ status: 'applied' });
    expect(await counterA.push('callSpecific', { counterId: 't1-c1', ticketId, staffId: 't1-clerk' })).toMatchObject({ status: 'applied' });
    expect(await counterA.push('startServing', { counterId: 't1-c1', ticketId, staffId: 't1-clerk' })).toMatchObject({ status: 'applied' });
    for (const n of [1, 2]) {
      const accepted = await counterA.push('acceptCase', { caseId: newMutationId(), serviceId: 't1-svc-1', staffId: 't1-clerk', counterId: 't1-c1', received: [{ materialId: 'm-id' }, { materialId: 'm-hukou' }], caseNumber: `PERF-${n}` });
      expect(accepted).toMatchObject({ status: 'applied' });
    }
    expect(await counterA.push('finish', { counterId: 't1-c1', ticketId, staffId: 't1-clerk' })).toMatchObject({ status: 'applied' });
    expect(await counterA.push('recordEvaluation', { evaluationId: newMutationId(), ticketId, counterId: 't1-c1', staffId: 't1-clerk', rating: 'satisfied', defaulted: false })).toMatchObject({
      status: 'applied',
    });

    // Clerk B signs in at counter 2 at 09:40 (late) and refuses one case.
    nowMs = Date.parse('2026-03-03T01:40:00Z');
    const counterB = await device('perf-c2', 'counter', 't1-c2', 't1-clerk-b');
    const refused = await counterB.push('refuseCase', { caseId: newMutationId(), serviceId: 't1-svc-1', staffId: 't1-clerk-b', counterId: 't1-c2', reason: '材料不全', missingMaterialIds: ['m-hukou'] });
    expect(refused).toMatchObject({ status: 'applied' });
    await relogin();
  });
  afterAll(async () => server.dispose());

  it('lets only the hall manager keep schemes, and refuses a rule that does not fit its indicator', async () => {
    const scheme = {
      name: '三月窗口考评',
      items: [
        { indicator: 'cases_handled', weight: 40, rule: 'relative' },
        { indicator: 'punctuality', weight: 30, rule: 'rate' },
        { indicator: 'satisfaction', weight: 30, rule: 'rate' },
      ],
      appealDays: 5,
      answerDays: 3,
    };
    expect((await api('POST', `${base}/schemes`, tokens.clerkA!, scheme)).status).toBe(403);
    const bad = await api('POST', `${base}/schemes`, tokens.manager!, { ...scheme, items: [{ indicator: 'calls', weight: 10, rule: 'rate' }] });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('calls is a count');
    const saved = await api('POST', `${base}/schemes`, tokens.manager!, scheme);
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
    expect((await api('GET', base, tokens.manager!)).body.schemes).toHaveLength(1);
  });

  it('records events by hand and from the sheet; a sheet with a bad line records nothing', async () => {
    expect((await api('POST', `${base}/events`, tokens.manager!, { staffIds: ['t1-clerk'], day: '2026-03-03', kind: 'bonus', points: 2, reason: '群众来信表扬', counts: true })).status).toBe(201);
    expect((await api('POST', `${base}/events`, tokens.manager!, { staffIds: ['t2-clerk'], day: '2026-03-03', kind: 'bonus', points: 2, reason: '别厅人员', counts: true })).body.error.code).toBe('unknown_clerk');
    const header = '工号,日期,类型,分值,理由,计入考评';
    const bad = await api('POST', `${base}/events/import`, tokens.manager!, { csv: `${header}\nt1003,2026-03-04,扣分,1,迟到,是\nt1003,2026-03-04,扣分,abc,迟到,是` });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([expect.stringMatching(/^line 3: 分值/)]);
    const unknown = await api('POST', `${base}/events/import`, tokens.manager!, { csv: `${header}\nX999,2026-03-04,扣分,1,迟到,是` });
    expect(unknown.body.error.details).toEqual(['no clerk of this hall has 工号 X999']);
    const good = await api('POST', `${base}/events/import`, tokens.manager!, { csv: `${header}\nt1003,2026-03-04,扣分,1,迟到未请假,是\nt1003,2026-03-05,加分,5,协助培训,否` });
    expect(good).toMatchObject({ status: 201, body: { recorded: 2 } });
    expect((await api('GET', `${base}/events?period=2026-03`, tokens.manager!)).body.events).toHaveLength(3);
    expect((await api('GET', `${base}/events?period=2026-04`, tokens.manager!)).body.events).toHaveLength(0);
  });

  it('scores March from the synced activity and ranks the clerks; nothing shows to clerks before publication', async () => {
    const schemeId = (await api('GET', base, tokens.manager!)).body.schemes[0].id as string;
    const computed = await api('POST', `${base}/appraisals`, tokens.manager!, { schemeId, period: '2026-03' });
    expect(computed.status, JSON.stringify(computed.body)).toBe(201);
    const { appraisal } = computed.body;
    appraisalId = appraisal.id;
    expect(appraisal).toMatchObject({ status: 'draft', version: 1, period: '2026-03' });
    // A: 2 cases (the best: 40), on time (30), satisfied (30), +2 bonus. B: 1 case (20), late (0), no rating (0), −1 (the 否 bonus does not count).
    expect(appraisal.results).toMatchObject([
      { staffId: 't1-clerk', values: { cases_handled: 2, punctuality: 1, satisfaction: 1, calls: 1, served: 1 }, eventPoints: 2, total: 102, rank: 1 },
      { staffId: 't1-clerk-b', values: { cases_handled: 1, punctuality: 0, satisfaction: null }, eventPoints: -1, total: 19, rank: 2 },
    ]);
    expect((await api('GET', '/performance/mine', tokens.clerkA!)).body.results).toEqual([]);
    expect((await api('POST', `/performance/appraisals/${appraisalId}/appeal`, tokens.clerkA!, { reason: '尚未发布就申诉' })).status).toBe(404);
  });

  it('scores the same month per counter (窗口), whoever served there; a counter is told nothing and cannot appeal', async () => {
    const schemeId = (await api('GET', base, tokens.manager!)).body.schemes[0].id as string;
    const computed = await api('POST', `${base}/appraisals`, tokens.manager!, { schemeId, period: '2026-03', subject: 'counter' });
    expect(computed.status, JSON.stringify(computed.body)).toBe(201);
    // Counter 1: clerk A's two cases, the on-time sign-in and the rating; counter 2: clerk B's refusal, late. No events for counters.
    expect(computed.body.appraisal).toMatchObject({ subject: 'counter', version: 1 });
    expect(computed.body.appraisal.results).toMatchObject([
      { staffId: 't1-c1', staffNumber: '1', values: { cases_handled: 2, punctuality: 1, satisfaction: 1 }, eventPoints: 0, total: 100, rank: 1 },
      { staffId: 't1-c2', staffNumber: '2', values: { cases_handled: 1, punctuality: 0 }, total: 20, rank: 2 },
    ]);
    // The clerk appraisal of the month is another appraisal, untouched.
    expect((await api('GET', `${base}/appraisals/${appraisalId}`, tokens.manager!)).body.appraisal).toMatchObject({ subject: 'clerk', version: 1 });
    const published = await api('POST', `${base}/appraisals/${computed.body.appraisal.id}/publish`, tokens.manager!);
    expect(published.body.appraisal.status).toBe('published');
    expect(await sms('appraisal_published')).toBe(0);
    expect((await api('GET', '/performance/mine', tokens.clerkA!)).body.results).toEqual([]);
    expect((await api('POST', `/performance/appraisals/${computed.body.appraisal.id}/appeal`, tokens.clerkA!, { reason: '窗口结果不是我的结果' })).status).toBe(404);
  });

  it('publishes to each clerk with an SMS to those with a mobile; a clerk appeals once, the manager answers once', async () => {
    expect((await api('PUT', `${base}/contacts/t1-clerk`, tokens.manager!, { phone: '12345' })).status).toBe(400);
    expect((await api('PUT', `${base}/contacts/t1-clerk`, tokens.manager!, { phone: CLERK_PHONE })).status).toBe(200);
    const published = await api('POST', `${base}/appraisals/${appraisalId}/publish`, tokens.manager!);
    expect(published.body.appraisal).toMatchObject({ status: 'published', appealUntil: '2026-03-08T01:40:00.000Z' });
    expect(await sms('appraisal_published')).toBe(1);

    const mine = await api('GET', '/performance/mine', tokens.clerkA!);
    expect(mine.body.results).toMatchObject([{ appraisalId, period: '2026-03', total: 102, rank: 1, clerks: 2 }]);
    expect((await api('GET', '/performance/mine', tokens.manager!)).status).toBe(403);

    const appeal = await api('POST', `/performance/appraisals/${appraisalId}/appeal`, tokens.clerkA!, { reason: '3月3日下午协助导办未计入' });
    expect(appeal.status, JSON.stringify(appeal.body)).toBe(201);
    expect(appeal.body.appeal).toMatchObject({ staffId: 't1-clerk', answerDueAt: '2026-03-06T01:40:00.000Z', overdue: false, outcome: null });
    expect((await api('POST', `/performance/appraisals/${appraisalId}/appeal`, tokens.clerkA!, { reason: '再次申诉同一结果' })).status).toBe(409);

    // Past the answer deadline the appeal is flagged overdue until answered.
    nowMs = Date.parse('2026-03-07T02:00:00Z');
    await relogin();
    const overview = await api('GET', base, tokens.manager!);
    expect(overview.body.appeals).toMatchObject([{ id: appeal.body.appeal.id, overdue: true }]);
    const answerUrl = `${base}/appeals/${appeal.body.appeal.id}/answer`;
    expect((await api('POST', answerUrl, tokens.clerkA!, { outcome: 'upheld', answer: '自己批准' })).status).toBe(403);
    const answered = await api('POST', answerUrl, tokens.manager!, { outcome: 'rejected', answer: '导办协助已按加分事件计入' });
    expect(answered.body.appeal).toMatchObject({ outcome: 'rejected', overdue: false });
    expect(await sms('appeal_answered')).toBe(1);
    expect((await api('POST', answerUrl, tokens.manager!, { outcome: 'upheld', answer: '改判' })).status).toBe(409);

    // After the appeal deadline nobody may appeal.
    nowMs = Date.parse('2026-03-09T02:00:00Z');
    await relogin();
    const late = await api('POST', `/performance/appraisals/${appraisalId}/appeal`, tokens.clerkB!, { reason: '迟到是因为系统故障' });
    expect(late).toMatchObject({ status: 409, body: { error: { code: 'appeal_closed' } } });
  });

  it('reports the month and the year, as a table and as CSV', async () => {
    const month = await api('GET', `${base}/report?period=2026-03`, tokens.manager!);
    expect(month.body.rows).toMatchObject([
      { staffId: 't1-clerk', averageScore: 102, bonusPoints: 2, grade: 'excellent', rank: 1 },
      { staffId: 't1-clerk-b', averageScore: 19, penaltyPoints: 1, bonusPoints: 5, grade: 'improve', rank: 2 },
    ]);
    expect((await api('GET', `${base}/report?period=2026`, tokens.manager!)).body.rows).toHaveLength(2);
    expect((await api('GET', `${base}/report?period=2026-04`, tokens.manager!)).body.rows).toEqual([]);
    const csv = await server.app.inject({ method: 'GET', url: `/api/v1${base}/report?period=2026-03&format=csv`, headers: { authorization: `Bearer ${tokens.manager}` } });
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\r\n').slice(0, 2)).toEqual(['\uFEFF排名,工号,姓名,考评次数,平均得分,最好名次,加分,扣分,等次', '1,t1002,赵*,1,102,1,2,0,优秀']);
    expect((await api('GET', `${base}/report?period=2026-3`, tokens.manager!)).status).toBe(400);
    expect((await api('GET', `${base}/report?period=2026-03&subject=counter`, tokens.manager!)).body.rows).toMatchObject([
      { staffId: 't1-c1', averageScore: 100, rank: 1 },
      { staffId: 't1-c2', averageScore: 20, rank: 2 },
    ]);
  });
});
