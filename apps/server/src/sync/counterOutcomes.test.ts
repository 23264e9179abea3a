import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { promisedDueAt, localDay } from '@hall/shared';
import { BACKENDS } from '../testing/databases';
import { openFormValues } from './formValues';
import { fixtureHall } from '../testing/fixture';
import { startTestServer, type TestServer } from '../testing/server';
import { apiCall, newMutationId as newId, pushingDevice } from '../testing/devices';

const pgUrl = inject('postgresUrl');
const selfAnswers = { 'q-who': ['self'] };

describe.each(BACKENDS)('counter outcomes through sync on %s', (dialect) => {
  let server: TestServer;
  const managers: Record<string, string> = {};
  /** Set by a test that plays a day in the past: the server's clock and the devices' (the server bounds mutation times by its clock). */
  let pinnedNow: number | undefined;
  const nowMs = () => pinnedNow ?? Date.now();

  beforeAll(async () => {
    server = await startTestServer(dialect, pgUrl, { clock: () => new Date(nowMs()) });
    managers.t1 = await server.login('t1-manager');
    managers.t2 = await server.login('t2-manager');
  });
  afterAll(async () => server.dispose());

  const api = (method: 'GET' | 'POST' | 'PUT', url: string, token: string, payload?: Record<string, unknown>) => apiCall(server, method, url, token, payload);

  /** An enrolled device; a counter device serves window 1 unless told. */
  const device = (id: string, role: 'kiosk' | 'counter', hall = 't1', counterId = role === 'counter' ? `${hall}-c1` : undefined) =>
    pushingDevice(server, { id, role, hall, managerToken: managers[hall]!, counterId, now: nowMs });

  /** A kiosk ticket with the citizen's form, called and served at counter t1-c1 by the fixture clerk. */
  async function servedTicket(tag: string) {
    const kiosk = await device(`k-${tag}`, 'kiosk');
    const counter = await device(`c-${tag}`, 'counter');
    const lease = await api('POST', '/sync/leases', kiosk.credential, { queueId: 't1-qa', day: localDay(nowMs(), 'Asia/Shanghai'), count: 1 });
    const ticketId = newId();
    const caseId = newId();
    expect(await kiosk.push('issueTicket', { ticketId, queueId: 't1-qa', serviceIds: ['t1-svc-1'], kind: 'walk_in', sequence: lease.body.block.start })).toMatchObject({ status: 'applied' });
    expect(await kiosk.push('submitForm', { caseId, ticketId, serviceId: 't1-svc-1', answers: selfAnswers, formId: 't1-form', formVersion: 1, values: { name: '测试人', idNumber: 'kiosk-typed' } })).toMatchObject({ status: 'applied' });
    await counter.push('closeCounter', { counterId: 't1-c1' });
    expect(await counter.push('openCounter', { counterId: 't1-c1', staffId: 't1-clerk' })).toMatchObject({ status: 'applied' });
    expect(await counter.push('callSpecific', { counterId: 't1-c1', ticketId, staffId: 't1-clerk' })).toMatchObject({ status: 'applied' });
    expect(await counter.push('startServing', { counterId: 't1-c1', ticketId, staffId: 't1-clerk' })).toMatchObject({ status: 'applied' });
    return { kiosk, counter, ticketId, caseId };
  }

  const db = () => server.db.database.db;

  it('projects the clerk, the accepted case with its promised date, the final form and one evaluation', async () => {
    const { counter, ticketId, caseId } = await servedTicket('ok');
    const missing = await counter.push('acceptCase', { caseId, staffId: 't1-clerk', counterId: 't1-c1', received: [{ materialId: 'm-id', pageCount: 2 }] });
    expect(missing).toMatchObject({ status: 'rejected', code: 'materials_missing' });
    const acceptedAt = new Date().toISOString();
    const accepted = await counter.push('acceptCase', {
      caseId,
      staffId: 't1-clerk',
      counterId: 't1-c1',
      values: { name: '测试人改' },
      received: [{ materialId: 'm-id', pageCount: 2 }, { materialId: 'm-hukou' }],
      delivery: 'counter',
      at: acceptedAt,
    });
    expect(accepted).toMatchObject({ status: 'applied' });
    expect(await counter.push('acceptCase', { caseId, staffId: 't1-clerk', counterId: 't1-c1', received: [{ materialId: 'm-id' }, { materialId: 'm-hukou' }] })).toMatchObject({
      status: 'rejected',
      code: 'case_decided',
    });
    expect(await counter.push('chooseDelivery', { caseId, staffId: 't1-clerk', delivery: 'post' })).toMatchObject({ status: 'applied' });
    expect(await counter.push('finish', { counterId: 't1-c1', ticketId, staffId: 't1-clerk' })).toMatchObject({ status: 'applied' });
    const evaluation = { evaluationId: newId(), ticketId, counterId: 't1-c1', staffId: 't1-clerk', rating: 'satisfied', defaulted: true };
    const recorded = await counter.push('recordEvaluation', evaluation);
    expect(recorded).toMatchObject({ status: 'applied' });
    expect(await counter.retry()).toEqual(recorded);
    expect(await counter.push('recordEvaluation', { ...evaluation, evaluationId: newId(), rating: 'very_unsatisfied', defaulted: false })).toMatchObject({
      status: 'rejected',
      code: 'duplicate_evaluation',
    });

    const ticket = await sql<{ staff_id: string | null; status: string }>`select staff_id, status from tickets where id = ${ticketId}`.execute(db());
    expect(ticket.rows[0]).toEqual({ staff_id: 't1-clerk', status: 'finished' });
    const kase = await db().selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirstOrThrow();
    const hall = fixtureHall('t1').hall;
    expect(kase).toMatchObject({
      status: 'accepted',
      accepted_at: acceptedAt,
      accepted_by_staff_id: 't1-clerk',
      due_at: promisedDueAt(acceptedAt, 5, hall),
      delivery: 'post',
      refusal_reason: null,
    });
    expect(Date.parse(kase.due_at!)).toBeGreaterThan(Date.parse(acceptedAt) + 5 * 86_400_000);
    expect(JSON.parse(kase.materials_json)).toEqual([
      { materialId: 'm-id', received: true, pageCount: 2 },
      { materialId: 'm-hukou', received: true, pageCount: 0 },
    ]);
    const evaluations = await db().selectFrom('evaluations').selectAll().where('ticket_id', '=', ticketId).execute();
    expect(evaluations).toEqual([
      expect.objectContaining({ id: evaluation.evaluationId, hall_id: 't1-hall', counter_id: 't1-c1', staff_id: 't1-clerk', rating: 'satisfied', case_id: null }),
    ]);
    expect(Number(evaluations[0]!.defaulted)).toBe(1);
    // The counter's edit lands on top of the kiosk's values; untouched fields stay.
    const form = await db().withTables<{ sync_case_forms: { case_id: string; values_json: string } }>().selectFrom('sync_case_forms').select('values_json').where('case_id', '=', caseId).executeTakeFirstOrThrow();
    // Sealed at rest like phone numbers: the row holds no name, and opens only as this case's form.
    expect(form.values_json).toMatch(/^hk1\./);
    expect(form.values_json).not.toContain('测试人');
    expect(openFormValues(server.app.hall.dataKeys, caseId, form.values_json)).toEqual({ name: '测试人改', idNumber: 'kiosk-typed' });
  });

  it('projects a refusal with its reason and rejects another hall’s clerk or window', async () => {
    const { counter, ticketId, caseId } = await servedTicket('refuse');
    expect(await counter.push('refuseCase', { caseId, staffId: 't2-clerk', counterId: 't1-c1', reason: '材料不全', missingMaterialIds: ['m-hukou'] })).toMatchObject({
      status: 'rejected',
      code: 'unknown_staff',
    });
    expect(await counter.push('refuseCase', { caseId, staffId: 't1-clerk', counterId: 't2-c1', reason: '材料不全', missingMaterialIds: ['m-hukou'] })).toMatchObject({
      status: 'rejected',
      // Another hall's window is never this device's own.
      code: 'not_own_counter',
    });
    expect(await counter.push('callNext', { counterId: 't1-c1', staffId: 'nobody' })).toMatchObject({ status: 'rejected', code: 'unknown_staff' });
    expect(await counter.push('refuseCase', { caseId, staffId: 't1-clerk', counterId: 't1-c1', reason: '缺少居民户口簿', missingMaterialIds: ['m-hukou'] })).toMatchObject({ status: 'applied' });
    const kase = await db().selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirstOrThrow();
    expect(kase).toMatchObject({ status: 'refused', refusal_reason: '缺少居民户口簿', refused_by_staff_id: 't1-clerk', accepted_at: null, due_at: null });
    expect(JSON.parse(kase.materials_json)).toContainEqual({ materialId: 'm-hukou', received: false, pageCount: 0 });
    expect(await counter.push('acceptCase', { caseId, staffId: 't1-clerk', counterId: 't1-c1', received: [{ materialId: 'm-id' }, { materialId: 'm-hukou' }] })).toMatchObject({
      status: 'rejected',
      code: 'case_decided',
    });
    expect(await counter.push('finish', { counterId: 't1-c1', ticketId, staffId: 't1-clerk' })).toMatchObject({ status: 'applied' });
  });

  it('rejects counter mutations of a clerk at a counter the console did not assign them; no assignment serves any', async () => {
    const { counter, caseId, ticketId } = await servedTicket('assigned');
    const assign = (counterIds: string[]) => api('PUT', '/admin/halls/t1-hall/staff/t1-clerk/assignment', managers.t1!, { counterIds, queueIds: [] });
    expect((await assign(['t1-c2'])).status).toBe(200);
    try {
      const refused = await counter.push('finish', { counterId: 't1-c1', ticketId: newId(), staffId: 't1-clerk' });
      expect(refused).toMatchObject({ status: 'rejected', code: 'counter_not_assigned' });
      expect(refused.status === 'rejected' && refused.reason).toMatch(/t1-clerk is not assigned to counter 1 \(t1-c1\)/);
      expect(await counter.push('callNext', { counterId: 't1-c1', staffId: 't1-clerk' })).toMatchObject({ status: 'rejected', code: 'counter_not_assigned' });
      expect(await counter.push('acceptCase', { caseId, staffId: 't1-clerk', counterId: 't1-c1', received: [{ materialId: 'm-id' }, { materialId: 'm-hukou' }] })).toMatchObject({
        status: 'rejected',
        code: 'counter_not_assigned',
      });
      // Their own counter is fine (at its station), and a mutation naming no clerk is not theirs to refuse.
      const window2 = await device('c-assigned-2', 'counter', 't1', 't1-c2');
      expect(await window2.push('openCounter', { counterId: 't1-c2', staffId: 't1-clerk' })).toMatchObject({ status: 'applied' });
      expect(await window2.push('closeCounter', { counterId: 't1-c2' })).toMatchObject({ status: 'applied' });
    } finally {
      expect((await assign([])).status).toBe(200);
    }
    // An empty assignment is the hall default again: any counter.
    expect(await counter.push('acceptCase', { caseId, staffId: 't1-clerk', counterId: 't1-c1', received: [{ materialId: 'm-id' }, { materialId: 'm-hukou' }] })).toMatchObject({ status: 'applied' });
    expect(await counter.push('finish', { counterId: 't1-c1', ticketId, staffId: 't1-clerk' })).toMatchObject({ status: 'applied' });
  });

  it('counts the promised date past 国庆 holidays and onto a 调休 Saturday from the hall calendar', async () => {
    // The whole visit happens that morning: a station cannot push work from before it was registered.
    pinnedNow = Date.parse('2026-09-30T01:50:00.000Z');
    const { counter, caseId, ticketId } = await servedTicket('holiday');
    // 2026: 10-01..10-07 off, Sunday 09-20 and Saturday 10-10 worked (国务院办公厅 arrangement).
    const holidays = ['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07'];
    const calendar = { put: [...holidays.map((day) => ({ day, kind: 'holiday', name: '国庆节' })), ...['2026-09-20', '2026-10-10'].map((day) => ({ day, kind: 'workday', name: '国庆调休' }))] };
    expect((await api('PUT', '/admin/halls/t1-hall/calendar', managers.t1!, calendar)).status).toBe(200);
    try {
      // Wednesday 30 September, 10:00 in Beijing; 5 working days: 10-08, 10-09, 10-10 (调休), 10-12, 10-13.
      const accepted = await counter.push('acceptCase', { caseId, staffId: 't1-clerk', counterId: 't1-c1', received: [{ materialId: 'm-id' }, { materialId: 'm-hukou' }], at: '2026-09-30T02:00:00.000Z' });
      expect(accepted).toMatchObject({ status: 'applied' });
      const kase = await db().selectFrom('cases').select(['due_at']).where('id', '=', caseId).executeTakeFirstOrThrow();
      // Closing time 17:30 in Asia/Shanghai on Tuesday 13 October.
      expect(kase.due_at).toBe('2026-10-13T09:30:00.000Z');
      // The catalogue stations receive carries the same calendar, so their executor decides the same date.
      const catalogue = await api('GET', '/sync/catalogue', counter.credential);
      expect(catalogue.body.calendar).toEqual({ holidays, workdays: ['2026-09-20', '2026-10-10'] });
      expect(promisedDueAt('2026-09-30T02:00:00.000Z', 5, catalogue.body.hall, catalogue.body.calendar)).toBe(kase.due_at);
      expect(await counter.push('finish', { counterId: 't1-c1', ticketId, staffId: 't1-clerk' })).toMatchObject({ status: 'applied' });
    } finally {
      await api('PUT', '/admin/halls/t1-hall/calendar', managers.t1!, { remove: [...holidays, '2026-09-20', '2026-10-10'] });
      pinnedNow = undefined;
    }
  });

  it('gives the kiosk form back to a counter of the same hall only', async () => {
    const { kiosk, counter, ticketId, caseId } = await servedTicket('form');
    const byTicket = await api('GET', `/sync/case-forms?ticketId=${ticketId}`, counter.credential);
    expect(byTicket.status).toBe(200);
    expect(byTicket.body.forms).toEqual([
      expect.objectContaining({ caseId, ticketId, serviceId: 't1-svc-1', formId: 't1-form', formVersion: 1, answers: selfAnswers, values: { name: '测试人', idNumber: 'kiosk-typed' } }),
    ]);
    expect((await api('GET', `/sync/case-forms?caseId=${caseId}`, counter.credential)).body.forms).toHaveLength(1);
    expect((await api('GET', `/sync/case-forms?caseId=${caseId}`, kiosk.credential)).status).toBe(403);
    const foreign = await device('c-foreign', 'counter', 't2');
    expect((await api('GET', `/sync/case-forms?caseId=${caseId}`, foreign.credential)).status).toBe(404);
    expect((await api('GET', `/sync/case-forms?ticketId=${ticketId}`, foreign.credential)).status).toBe(404);
    expect((await api('GET', '/sync/case-forms?caseId=nosuch', counter.credential)).status).toBe(404);
    expect((await api('GET', '/sync/case-forms', counter.credential)).status).toBe(400);
    expect((await api('GET', `/sync/case-forms?caseId=${caseId}`, managers.t1!)).status).toBe(403);
  });
});
