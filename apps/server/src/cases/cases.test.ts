import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { localDay, makeTestIdNumber } from '@hall/shared';
import type { PullResponse } from '@hall/shared';
import { BACKENDS } from '../testing/databases';
import { FIXTURE_PASSWORD } from '../testing/fixture';
import { startTestServer, type TestServer } from '../testing/server';
import { apiCall, newMutationId, pushingDevice, SYNC_VERSIONS } from '../testing/devices';
import { bearer } from '../testing/server';

const pgUrl = inject('postgresUrl');
const DAY_MS = 86_400_000;
/** A fictitious mobile number (the 1xx-0000-xxxx test range), never a real citizen's. */
const TEST_PHONE = '13800000000';

describe.each(BACKENDS)("a case's whole life on %s", (dialect) => {
  let server: TestServer;
  let nowMs = Date.parse('2026-03-02T02:00:00Z'); // a Monday, 10:00 in the hall
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    server = await startTestServer(dialect, pgUrl, { clock: () => new Date(nowMs) });
    tokens.manager = await server.login('t1-manager');
    tokens.clerk = await server.login('t1-clerk');
    tokens.manager2 = await server.login('t2-manager');
    for (const [id, hall] of [['t1-officer-a', 't1'], ['t1-officer-b', 't1'], ['t2-officer-a', 't2']] as const) {
      const created = await apiCall(server, 'POST', '/staff', hall === 't1' ? tokens.manager : tokens.manager2, {
        id,
        hallId: `${hall}-hall`,
        login: id,
        displayName: '审*',
        staffNumber: id.slice(-6),
        departmentId: `${hall}-dept`,
        roles: ['officer'],
        password: FIXTURE_PASSWORD,
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      tokens[id] = await server.login(id);
    }
  });
  afterAll(async () => server.dispose());

  /** Moves the server's clock; staff sessions last hours, so everyone signs in again. */
  async function travel(ms: number) {
    nowMs += ms;
    for (const login of Object.keys(tokens)) {
      tokens[login] = await server.login(({ manager: 't1-manager', clerk: 't1-clerk', manager2: 't2-manager' } as Record<string, string>)[login] ?? login);
    }
  }

  const api = (method: 'GET' | 'POST' | 'PUT', url: string, token: string, payload?: Record<string, unknown>) => apiCall(server, method, url, token, payload);
  const act = (caseId: string, action: string, token: string, body: Record<string, unknown> = {}) => api('POST', `/halls/t1-hall/back-office/cases/${caseId}/${action}`, token, body);
  const device = (id: string, role: 'kiosk' | 'counter', counterId?: string) => pushingDevice(server, { id, role, hall: 't1', managerToken: tokens.manager!, counterId, now: () => nowMs });
  const db = () => server.db.database.db;
  const sms = async (template: string) => (await db().selectFrom('sms_outbox' as never).select(['template' as never]).execute()).filter((r) => (r as { template: string }).template === template).length;

  let serial = 0;
  /** A ticket with the citizen's form (with a phone), served at counter 1 and accepted there. */
  async function acceptedCase(counterId = 't1-c1', extra: Record<string, unknown> = {}) {
    serial += 1;
    const kiosk = await device(`k-${serial}`, 'kiosk');
    const counter = await device(`c-${serial}`, 'counter', counterId);
    const lease = await api('POST', '/sync/leases', kiosk.credential, { queueId: 't1-qa', day: localDay(nowMs, 'Asia/Shanghai'), count: 1 });
    const ticketId = newMutationId();
    const caseId = newMutationId();
    expect(await kiosk.push('issueTicket', { ticketId, queueId: 't1-qa', serviceIds: ['t1-svc-1'], kind: 'walk_in', sequence: lease.body.block.start })).toMatchObject({ status: 'applied' });
    const citizen = { maskedName: '李*', idHash: `${'ab'.repeat(31)}${String(serial).padStart(2, '0')}` };
    expect(await kiosk.push('submitForm', { caseId, ticketId, serviceId: 't1-svc-1', answers: { 'q-who': ['self'] }, formId: 't1-form', formVersion: 1, citizen, values: { name: '李四', phone: TEST_PHONE } })).toMatchObject({ status: 'applied' });
    await counter.push('closeCounter', { counterId });
    await counter.push('openCounter', { counterId, staffId: 't1-clerk' });
    await counter.push('callSpecific', { counterId, ticketId, staffId: 't1-clerk' });
    await counter.push('startServing', { counterId, ticketId, staffId: 't1-clerk' });
    const number = `N-${serial}`;
    expect(await counter.push('acceptCase', { caseId, staffId: 't1-clerk', counterId, received: [{ materialId: 'm-id' }, { materialId: 'm-hukou' }], caseNumber: number, ...extra })).toMatchObject({ status: 'applied' });
    return { caseId, number, counter, citizen };
  }

  it('routes to the department, is approved and completed in the back office, collected at a counter, and every station pulls each step', async () => {
    const { caseId, number, counter } = await acceptedCase();
    const list = await api('GET', '/halls/t1-hall/back-office/cases?stage=review', tokens['t1-officer-a']!);
    expect(list.status).toBe(200);
    expect(list.body.cases).toContainEqual(expect.objectContaining({ id: caseId, number, status: 'accepted', stage: 'review', citizen: '李*' }));
    // Another hall's officer neither sees nor touches it.
    expect((await api('GET', '/halls/t2-hall/back-office/cases', tokens['t2-officer-a']!)).body.cases.some((c: { id: string }) => c.id === caseId)).toBe(false);
    expect((await api('GET', `/halls/t1-hall/back-office/cases/${caseId}`, tokens['t2-officer-a']!)).status).toBe(403);

    const detail = await api('GET', `/halls/t1-hall/back-office/cases/${number}`, tokens['t1-officer-a']!);
    expect(detail.status).toBe(200);
    expect(detail.body.case.id).toBe(caseId);
    expect(detail.body.materials.map((m: { id: string }) => m.id)).toEqual(['m-id', 'm-hukou']);
    const phoneField = detail.body.form.find((f: { id: string }) => f.id === 'phone');
    expect(phoneField?.value).not.toBe(TEST_PHONE);
    expect(JSON.stringify(detail.body)).not.toContain('李四');

    // Only an officer decides: not the clerk, not the hall manager.
    expect((await act(caseId, 'approve', tokens.clerk!)).status).toBe(403);
    expect((await act(caseId, 'approve', tokens.manager!)).status).toBe(403);
    expect((await act(caseId, 'complete', tokens['t1-officer-a']!)).body).toMatchObject({ error: 'not_approved' });
    expect((await act(caseId, 'approve', tokens['t1-officer-a']!, { note: '符合条件' })).body.case).toMatchObject({ status: 'approved', approvedByStaffId: 't1-officer-a' });
    nowMs += 60_000;
    expect((await act(caseId, 'complete', tokens['t1-officer-a']!)).body.case).toMatchObject({ status: 'completed' });
    expect(await sms('case_completed')).toBe(1);

    // The counter pulls the officer's steps like any peer's.
    const pulled = await server.app.inject({ method: 'GET', url: '/api/v1/sync/pull?cursor=0&limit=1000', headers: { ...SYNC_VERSIONS, ...bearer(counter.credential) } });
    const page = pulled.json() as PullResponse;
    if (page.kind !== 'page') throw new Error('expected a page of the log');
    const entries = page.entries.filter((e) => e.change.entity === 'case' && e.change.id === caseId);
    expect(entries.map((e) => (e.change.entity === 'case' ? e.change.data.status : ''))).toEqual(['submitted', 'accepted', 'approved', 'completed']);
    expect(entries.at(-1)?.origin).toBeUndefined();

    // Collected by a proxy at counter 2.
    const collector = await device(`c2-${serial}`, 'counter', 't1-c2');
    const handover = { method: 'counter', counterId: 't1-c2', collection: { maskedName: '王*', idHash: 'cd'.repeat(32), proxy: true } };
    expect(await collector.push('handOverResult', { caseId, staffId: 't1-clerk', counterId: 't1-c2', handover })).toMatchObject({ status: 'applied' });
    const row = await db().selectFrom('cases').select(['status', 'stage', 'stage_due_at', 'delivered_at']).where('id', '=', caseId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'delivered', stage: 'done', stage_due_at: null });
    const audit = await db().selectFrom('audit_log').select(['action', 'actor_id']).where('entity', '=', 'case').where('entity_id', '=', caseId).execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['approveCase', 'completeCase']);
  });

  it('asks for supplements once with an SMS and a deadline, takes them at another counter, and closes an overdue case with a blacklist entry', async () => {
    const { caseId } = await acceptedCase();
    const asked = await act(caseId, 'supplement', tokens['t1-officer-a']!, { items: [{ materialId: 'm-hukou', note: '户口簿复印件不清晰' }] });
    expect(asked.body.case).toMatchObject({ status: 'supplement_requested' });
    expect(await sms('case_supplement_requested')).toBeGreaterThanOrEqual(1);
    expect((await act(caseId, 'approve', tokens['t1-officer-a']!)).body).toMatchObject({ error: 'case_wrong_status' });
    const other = await device(`c2s-${serial}`, 'counter', 't1-c2');
    expect(await other.push('recordSupplement', { caseId, staffId: 't1-clerk', counterId: 't1-c2', received: [{ materialId: 'm-hukou', pageCount: 1 }] })).toMatchObject({ status: 'applied' });
    expect((await act(caseId, 'approve', tokens['t1-officer-a']!)).body.case).toMatchObject({ status: 'approved' });

    // A second case whose citizen never comes back.
    const late = await acceptedCase();
    await act(late.caseId, 'supplement', tokens['t1-officer-a']!, { items: [{ note: '补充收入证明' }] });
    await travel(13 * DAY_MS); // 10 working days end the Monday after next: this Sunday is inside the 2-day reminder window
    expect(await api('POST', '/halls/t1-hall/case-sweep/run', tokens.manager!)).toMatchObject({ status: 200, body: { closed: 0, reminded: 1 } });
    expect(await sms('case_supplement_reminder')).toBe(1);
    await travel(2 * DAY_MS);
    expect((await api('POST', '/halls/t1-hall/case-sweep/run', tokens.manager!)).body).toMatchObject({ closed: 1 });
    expect((await api('POST', '/halls/t1-hall/case-sweep/run', tokens.manager!)).body).toMatchObject({ closed: 0 });
    expect((await api('GET', `/halls/t1-hall/back-office/cases/${late.caseId}`, tokens['t1-officer-a']!)).body.case).toMatchObject({ status: 'closed' });
    expect(await sms('case_closed_overdue')).toBe(1);
    const listed = await api('GET', `/halls/t1-hall/blacklist`, tokens.manager!);
    expect(listed.body.entries).toContainEqual(expect.objectContaining({ source: 'case_overdue', maskedName: '李*' }));
    // The hall's kiosks hold the bar with its source, so their refusal says why in plain words.
    const held = await api('GET', '/halls/t1-hall/blacklist/hashes', tokens.manager!);
    expect(held.body.entries).toContainEqual(expect.objectContaining({ idHash: late.citizen.idHash, source: 'case_overdue' }));
    await travel(-15 * DAY_MS);
  });

  it('consult-and-approve, transfer with a notice, and withdrawal approved by a hall manager', async () => {
    serial += 1;
    const kiosk = await device(`kq-${serial}`, 'kiosk');
    const counter = await device(`cq-${serial}`, 'counter', 't1-c1');
    const caseId = newMutationId();
    expect(await kiosk.push('submitForm', { caseId, serviceId: 't1-svc-1', answers: { 'q-who': ['self'] }, values: {} })).toMatchObject({ status: 'applied' });
    expect(await counter.push('requestConsult', { caseId, staffId: 't1-clerk', counterId: 't1-c1', question: '户口簿遗失能否受理？' })).toMatchObject({ status: 'applied' });
    const accept = { caseId, staffId: 't1-clerk', counterId: 't1-c1', received: [{ materialId: 'm-id' }, { materialId: 'm-hukou' }] };
    expect(await counter.push('acceptCase', accept)).toMatchObject({ status: 'rejected', code: 'consult_pending' });
    const notices = await api('GET', '/halls/t1-hall/back-office/notices', tokens['t1-officer-b']!);
    expect(notices.body.notices).toContainEqual(expect.objectContaining({ caseId, kind: 'consult' }));
    expect((await act(caseId, 'answer-consult', tokens['t1-officer-b']!, { approve: true, answer: '可受理' })).status).toBe(200);
    expect(await counter.push('acceptCase', accept)).toMatchObject({ status: 'applied' });

    // 特殊程序: the review waits; the list shows the case under its own step.
    expect((await act(caseId, 'special-start', tokens['t1-officer-a']!, { kind: 'expert_review', reason: '需专家论证', days: 5 })).body.case.specialProcedures).toHaveLength(1);
    expect((await api('GET', '/halls/t1-hall/back-office/cases?stage=special', tokens['t1-officer-a']!)).body.cases.map((c: { id: string }) => c.id)).toContain(caseId);
    expect((await act(caseId, 'approve', tokens['t1-officer-a']!)).body).toMatchObject({ error: 'special_procedure_open' });
    expect((await act(caseId, 'special-end', tokens['t1-officer-a']!, { note: '论证通过' })).status).toBe(200);
    expect((await act(caseId, 'transfer', tokens['t1-officer-a']!, { toStaffId: 't2-officer-a' })).status).toBe(400);
    expect((await act(caseId, 'transfer', tokens['t1-officer-a']!, { toStaffId: 't1-officer-b', note: '请协办' })).body.case).toMatchObject({ assignedStaffId: 't1-officer-b' });
    const mine = await api('GET', '/halls/t1-hall/back-office/cases?mine=1', tokens['t1-officer-b']!);
    expect(mine.body.cases.map((c: { id: string }) => c.id)).toContain(caseId);
    expect((await api('GET', '/halls/t1-hall/back-office/notices', tokens['t1-officer-b']!)).body.notices).toContainEqual(expect.objectContaining({ caseId, kind: 'transfer' }));

    expect(await counter.push('requestWithdrawal', { caseId, staffId: 't1-clerk', counterId: 't1-c1', cause: 'citizen_request', reason: '申请人不再办理' })).toMatchObject({ status: 'applied' });
    expect((await act(caseId, 'approve-withdrawal', tokens['t1-officer-b']!)).status).toBe(403);
    expect((await act(caseId, 'approve', tokens['t1-officer-b']!)).body).toMatchObject({ error: 'withdrawal_pending' });
    expect((await act(caseId, 'approve-withdrawal', tokens.manager!)).body.case).toMatchObject({ status: 'withdrawn' });
  });

  it('refuses forbidden steps: a refused case cannot complete, a kiosk cannot send counter steps, a clerk of another hall is unknown', async () => {
    const { caseId, counter } = await acceptedCase();
    expect((await act(caseId, 'deny', tokens['t1-officer-a']!, { reason: '不符合办理条件' })).body.case).toMatchObject({ status: 'refused' });
    expect(await sms('case_refused')).toBeGreaterThanOrEqual(1);
    expect((await act(caseId, 'complete', tokens['t1-officer-a']!)).body).toMatchObject({ error: 'case_wrong_status' });
    expect(await counter.push('completeCase', { caseId, staffId: 't1-clerk', counterId: 't1-c1' })).toMatchObject({ status: 'rejected', code: 'case_wrong_status' });
    const kiosk = await device(`kf-${serial}`, 'kiosk');
    expect(await kiosk.push('recordSupplement', { caseId, staffId: 't1-clerk', counterId: 't1-c1', received: [] })).toMatchObject({ status: 'rejected', code: 'forbidden_for_role' });
    expect(await counter.push('approveCase', { caseId, staffId: 't1-clerk' })).toMatchObject({ status: 'rejected', code: 'forbidden_for_role' });
    expect(await counter.push('completeCase', { caseId, staffId: 't2-clerk', counterId: 't1-c1' })).toMatchObject({ status: 'rejected' });
  });

  it('a locker deposit completes an approved case and the pickup delivers it', async () => {
    const { caseId, number } = await acceptedCase('t1-c1', { delivery: 'locker' });
    expect((await act(caseId, 'approve', tokens['t1-officer-a']!)).status).toBe(200);
    const created = await api('POST', '/sync/devices', tokens.manager!, { id: `lk-${serial}`, hallId: 't1-hall', role: 'locker', name: 'locker' });
    const locker = (await server.app.inject({ method: 'POST', url: '/api/v1/sync/enroll', headers: SYNC_VERSIONS, payload: { code: created.body.enrollmentCode } })).json().credential as string;
    const issued = await api('POST', '/lockers/deposit-codes', tokens.clerk!, { hallId: 't1-hall', items: [{ caseNumber: number, size: 'small', idNumber: makeTestIdNumber(), name: '测试', phone: TEST_PHONE }] });
    expect(issued.status).toBe(201);
    const parcelId = (issued.body.codes as { parcelId: string }[])[0]!.parcelId;
    const events = async (event: Record<string, unknown>) => {
      const response = await server.app.inject({ method: 'POST', url: '/api/v1/lockers/events', headers: bearer(locker), payload: { events: [event] } });
      expect(response.statusCode, response.body).toBe(200);
      return response;
    };
    const at = new Date(nowMs).toISOString();
    expect((await events({ id: `event-deposit-${serial}`, type: 'deposited', at, parcelId, compartmentId: 'A01', size: 'small', caseNumber: number, pickupCode: '12345678' })).json().results[0]).toMatchObject({ status: 'applied' });
    const status = async () => (await db().selectFrom('cases').select('status').where('id', '=', caseId).executeTakeFirstOrThrow()).status;
    expect(await status()).toBe('completed');
    // The locker's own SMS carries the pickup code; the case adds none of its own.
    expect(await sms('case_completed')).toBe(1);
    expect((await events({ id: `event-pickup-${serial}`, type: 'picked_up', at, parcelId, compartmentId: 'A01', by: 'residence_code' })).json().results[0]).toMatchObject({ status: 'applied' });
    expect(await status()).toBe('delivered');
  });

  it('counts the lifecycle by service, department, counter and clerk, and stops the supervision light at completion', async () => {
    const from = new Date(nowMs - DAY_MS).toISOString();
    const to = new Date(nowMs + 40 * DAY_MS).toISOString();
    const stats = await api('GET', `/halls/t1-hall/case-stats?from=${from}&to=${to}`, tokens.manager!);
    expect(stats.status).toBe(200);
    expect(stats.body.total).toMatchObject({ accepted: expect.any(Number), approved: 3, completed: 2, refused: 1, withdrawn: 1, closed: 1, supplemented: 2 });
    expect(stats.body.total.accepted).toBeGreaterThanOrEqual(5);
    expect(stats.body.byDepartment).toContainEqual(expect.objectContaining({ id: 't1-dept', completed: 2 }));
    expect(stats.body.byCounter).toContainEqual(expect.objectContaining({ id: 't1-c1' }));
    expect(stats.body.byClerk).toContainEqual(expect.objectContaining({ id: 't1-clerk' }));
    // A case still in review 30 days on is red; the completed one is not on the board.
    await travel(30 * DAY_MS);
    const board = await api('GET', '/supervision?hallId=t1-hall', tokens.manager!);
    await travel(-30 * DAY_MS);
    expect(board.status).toBe(200);
    const stages = new Set((board.body.cases as { stage: string; status: string }[]).map((c) => `${c.status}:${c.stage}`));
    expect(stages.has('approved:review')).toBe(true);
    expect([...stages].some((s) => s.startsWith('completed') || s.startsWith('delivered'))).toBe(false);
  });
});
