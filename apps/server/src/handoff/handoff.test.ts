import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { localDay, handoffSlipCode, makeTestIdNumber, type PullResponse } from '@hall/shared';
import { BACKENDS } from '../testing/databases';
import { FIXTURE_PASSWORD } from '../testing/fixture';
import { startTestServer, bearer, type TestServer } from '../testing/server';
import { apiCall, newMutationId, pushingDevice, SYNC_VERSIONS } from '../testing/devices';

const pgUrl = inject('postgresUrl');
const HOUR_MS = 3_600_000;
const items = [
  { id: 'm-id', name: '身份证复印件', copies: 1 },
  { id: 'm-hukou', name: '户口簿复印件', copies: 1 },
];
/** Slip tokens are random base64url in production; fixed fictitious ones here. */
const token = (n: number) => `handoff-test-token-${String(n).padStart(4, '0')}`;

describe.each(BACKENDS)('material hand-offs (物料流转) on %s', (dialect) => {
  let server: TestServer;
  let nowMs = Date.parse('2026-03-02T02:00:00Z'); // a Monday, 10:00 in the hall
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    server = await startTestServer(dialect, pgUrl, { clock: () => new Date(nowMs) });
    tokens.manager = await server.login('t1-manager');
    tokens.manager2 = await server.login('t2-manager');
    tokens.clerk = await server.login('t1-clerk');
    // A second department of the hall, whose officer has no business with the first one's papers.
    await server.db.database.db.insertInto('departments').values({ id: 't1-dept-other', hall_id: 't1-hall', name_zh: '民政', name_en: null }).execute();
    for (const [id, hall, dept] of [['t1-officer-h', 't1', 't1-dept'], ['t1-officer-x', 't1', 't1-dept-other'], ['t2-officer-h', 't2', 't2-dept']] as const) {
      const created = await apiCall(server, 'POST', '/staff', hall === 't1' ? tokens.manager : tokens.manager2, {
        id, hallId: `${hall}-hall`, login: id, displayName: '审*', staffNumber: id.slice(-6), departmentId: dept, roles: ['officer'], password: FIXTURE_PASSWORD,
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      tokens[id] = await server.login(id);
    }
  });
  afterAll(async () => server.dispose());

  const api = (method: 'GET' | 'POST' | 'PUT', url: string, who: string, payload?: Record<string, unknown>) => apiCall(server, method, url, tokens[who]!, payload);
  const scan = (who: string, body: Record<string, unknown>, hall = 't1') => api('POST', `/halls/${hall}-hall/handoffs/scan`, who, body);
  const device = (id: string, role: 'kiosk' | 'counter', counterId?: string) => pushingDevice(server, { id, role, hall: 't1', managerToken: tokens.manager!, counterId, now: () => nowMs });

  let serial = 0;
  /** Two citizens' cases accepted at counter 1, and the counter device that accepted them. */
  async function twoAcceptedCases(accept: Record<string, unknown> = {}) {
    serial += 1;
    const kiosk = await device(`hk-${serial}`, 'kiosk');
    const counter = await device(`hc-${serial}`, 'counter', 't1-c1');
    await counter.push('closeCounter', { counterId: 't1-c1' });
    await counter.push('openCounter', { counterId: 't1-c1', staffId: 't1-clerk' });
    const cases: { caseId: string; number: string; idHash: string }[] = [];
    for (const n of [1, 2]) {
      const block = await apiCall(server, 'POST', '/sync/leases', kiosk.credential, { queueId: 't1-qa', day: localDay(nowMs, 'Asia/Shanghai'), count: 1 });
      const ticketId = newMutationId();
      const caseId = newMutationId();
      const idHash = `${'ef'.repeat(30)}${String(serial).padStart(2, '0')}${String(n).padStart(2, '0')}`;
      expect(await kiosk.push('issueTicket', { ticketId, queueId: 't1-qa', serviceIds: ['t1-svc-1'], kind: 'walk_in', sequence: block.body.block.start })).toMatchObject({ status: 'applied' });
      expect(await kiosk.push('submitForm', { caseId, ticketId, serviceId: 't1-svc-1', answers: { 'q-who': ['self'] }, formId: 't1-form', formVersion: 1, citizen: { maskedName: '李*', idHash }, values: {} })).toMatchObject({ status: 'applied' });
      await counter.push('callSpecific', { counterId: 't1-c1', ticketId, staffId: 't1-clerk' });
      await counter.push('startServing', { counterId: 't1-c1', ticketId, staffId: 't1-clerk' });
      const number = `H-${serial}-${n}`;
      expect(await counter.push('acceptCase', { caseId, staffId: 't1-clerk', counterId: 't1-c1', received: [{ materialId: 'm-id' }, { materialId: 'm-hukou' }], caseNumber: number, ...accept })).toMatchObject({ status: 'applied' });
      await counter.push('finish', { counterId: 't1-c1', ticketId, staffId: 't1-clerk' });
      cases.push({ caseId, number, idHash });
    }
    return { counter, cases };
  }

  /** Two cases bundled into one package at counter 1; returns the slip's code. */
  async function bundled(accept: Record<string, unknown> = {}) {
    const { counter, cases } = await twoAcceptedCases(accept);
    const handoffId = newMutationId();
    const number = `LZ-${serial}`;
    const result = await counter.push('startHandoff', { handoffId, number, token: token(serial), staffId: 't1-clerk', counterId: 't1-c1', cases: cases.map((c) => ({ caseId: c.caseId, items })) });
    expect(result, JSON.stringify(result)).toMatchObject({ status: 'applied' });
    return { counter, cases, handoffId, number, code: handoffSlipCode('t1-hall', { id: handoffId, token: token(serial) }) };
  }

  it('follows a package from the counter through review, approval and production to the delivery counter and the citizen; stations pull each sign-in', async () => {
    const { counter, cases, handoffId, number, code } = await bundled();
    // The back office looks the slip up by its code, its number, a case number or the citizen.
    for (const q of [code, number, cases[1]!.number, cases[0]!.idHash]) {
      const found = await api('GET', `/halls/t1-hall/handoffs?q=${encodeURIComponent(q)}`, 't1-officer-h');
      expect(found.status).toBe(200);
      expect(found.body.handoffs).toHaveLength(1);
      expect(found.body.handoffs[0]).toMatchObject({ id: handoffId, number, step: 'acceptance', cases: [{ applicant: '李*' }, { applicant: '李*' }] });
    }
    // Review, with one paper missing on the second case and an extra one on the first.
    const review = await scan('t1-officer-h', { code, marks: [{ caseId: cases[1]!.caseId, missing: ['m-hukou'] }, { caseId: cases[0]!.caseId, extra: ['结婚证'] }] });
    expect(review.status, JSON.stringify(review.body)).toBe(200);
    expect(review.body.handoff).toMatchObject({ step: 'review', history: [{ to: 'review', result: 'signed' }, { to: 'review', result: 'signed' }] });
    expect(review.body.handoff.history).toContainEqual(expect.objectContaining({ caseId: cases[1]!.caseId, missing: ['m-hukou'] }));
    expect(review.body.handoff.history).toContainEqual(expect.objectContaining({ caseId: cases[0]!.caseId, extra: ['结婚证'] }));
    expect(review.body.handoff.staffNames).toEqual({ 't1-officer-h': '审*（icer-h）' });
    // Production waits for the approval.
    expect((await scan('t1-officer-h', { code, step: 'production' })).body).toMatchObject({ error: 'case_not_ready' });
    for (const c of cases) expect((await api('POST', `/halls/t1-hall/back-office/cases/${c.caseId}/approve`, 't1-officer-h', {})).status).toBe(200);
    expect((await scan('t1-officer-h', { code })).body.handoff).toMatchObject({ step: 'approval' });
    expect((await scan('t1-officer-h', { code })).body.handoff).toMatchObject({ step: 'production' });
    for (const c of cases) expect((await api('POST', `/halls/t1-hall/back-office/cases/${c.caseId}/complete`, 't1-officer-h', {})).status).toBe(200);

    // The delivery counter signs the package in by sync mutation, then hands one case to its citizen.
    const delivery = await device(`hd-${serial}`, 'counter', 't1-c2');
    const sign = (step: string, extra: Record<string, unknown> = {}) =>
      delivery.push('signHandoff', { handoffId, token: token(serial), step, hallId: 't1-hall', staffId: 't1-clerk', counterId: 't1-c2', ...extra });
    expect(await sign('delivery')).toMatchObject({ status: 'applied' });
    expect(await sign('citizen', { caseIds: [cases[0]!.caseId] })).toMatchObject({ status: 'applied' });
    const after = await api('GET', `/halls/t1-hall/handoffs?q=${number}`, 't1-officer-h');
    expect(after.body.handoffs[0].cases.map((c: { step: string }) => c.step)).toEqual(['citizen', 'delivery']);
    expect(after.body.handoffs[0].history.filter((m: { caseId: string }) => m.caseId === cases[0]!.caseId).map((m: { to: string }) => m.to)).toEqual(['review', 'approval', 'production', 'delivery', 'citizen']);

    // The accepting counter pulls every sign-in, the back office's included.
    const pulled = await server.app.inject({ method: 'GET', url: '/api/v1/sync/pull?cursor=0&limit=1000', headers: { ...SYNC_VERSIONS, ...bearer(counter.credential) } });
    const page = pulled.json() as PullResponse;
    if (page.kind !== 'page') throw new Error('expected a page of the log');
    const steps = page.entries.flatMap((e) => (e.change.entity === 'case' && e.change.id === cases[0]!.caseId && e.change.data.handoff ? [e.change.data.handoff.step] : []));
    expect([...new Set(steps)]).toEqual(['acceptance', 'review', 'approval', 'production', 'delivery', 'citizen']);
    const audit = await server.db.database.db.selectFrom('audit_log').select('action').where('action', '=', 'signHandoff').execute();
    expect(audit.length).toBeGreaterThanOrEqual(3);
  });

  it('refuses another hall, a forged code, a second scan at the same desk, a package at the wrong step, another department and a non-slip, recording nothing', async () => {
    const { cases, handoffId, code } = await bundled();
    const history = async () => (await api('GET', `/halls/t1-hall/handoffs?q=${encodeURIComponent(code)}`, 't1-officer-h')).body.handoffs[0].history as unknown[];
    expect((await scan('t1-officer-h', { code: handoffSlipCode('t2-hall', { id: handoffId, token: token(serial) }) })).body).toMatchObject({ error: 'other_hall' });
    expect((await scan('t1-officer-h', { code: code.slice(0, -2) + 'zz' })).body).toMatchObject({ error: 'forged_code' });
    expect((await scan('t1-officer-h', { code: `hall:case:${cases[0]!.caseId}:abc` })).body).toMatchObject({ error: 'not_a_slip' });
    expect((await scan('t1-officer-x', { code })).status).toBe(403);
    // Another hall's officer cannot even look at it from its own hall.
    expect((await api('GET', `/halls/t2-hall/handoffs?q=${encodeURIComponent(code)}`, 't2-officer-h')).body).toMatchObject({ handoffs: [], refusal: { code: 'other_hall' } });
    expect(await history()).toHaveLength(0);

    expect((await scan('t1-officer-h', { code, step: 'review' })).status).toBe(200);
    const again = await scan('t1-officer-h', { code, step: 'review' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: 'already_signed' });
    for (const c of cases) await api('POST', `/halls/t1-hall/back-office/cases/${c.caseId}/approve`, 't1-officer-h', {});
    expect((await scan('t1-officer-h', { code, step: 'production', caseIds: [cases[0]!.caseId] })).status).toBe(200);
    // The whole package at approval: the first case is already past it, so nothing moves.
    expect((await scan('t1-officer-h', { code, step: 'approval' })).body).toMatchObject({ error: 'wrong_step' });
    expect(await history()).toHaveLength(3);
  });

  it('settles two desks signing the same slip offline: the first in the agreed order holds it, the second is recorded as a duplicate', async () => {
    const { cases, handoffId } = await bundled();
    const deskA = await device(`ha-${serial}`, 'counter', 't1-c1');
    const deskB = await device(`hb-${serial}`, 'counter', 't1-c2');
    const body = { handoffId, token: token(serial), step: 'review', hallId: 't1-hall', staffId: 't1-clerk' };
    expect(await deskA.push('signHandoff', { ...body, counterId: 't1-c1' })).toMatchObject({ status: 'applied' });
    nowMs += 60_000;
    expect(await deskB.push('signHandoff', { ...body, counterId: 't1-c2' })).toMatchObject({ status: 'applied' });
    const found = await api('GET', `/halls/t1-hall/handoffs?q=${cases[0]!.number}`, 't1-officer-h');
    const moves = found.body.handoffs[0].history.filter((m: { caseId: string }) => m.caseId === cases[0]!.caseId);
    expect(moves.map((m: { counterId: string; result: string }) => [m.counterId, m.result])).toEqual([
      ['t1-c1', 'signed'],
      ['t1-c2', 'duplicate'],
    ]);
    // A counter that is not bound to the counter it names is refused by origin.
    expect(await deskA.push('signHandoff', { ...body, step: 'approval', counterId: 't1-c2' })).toMatchObject({ status: 'rejected' });
  });

  it('signs the papers in at the locker when the result is deposited there, once, and leaves the package\'s other case where it is', async () => {
    const { cases, number } = await bundled({ delivery: 'locker' });
    for (const c of cases) expect((await api('POST', `/halls/t1-hall/back-office/cases/${c.caseId}/approve`, 't1-officer-h', {})).status).toBe(200);
    const created = await api('POST', '/sync/devices', 'manager', { id: `hl-${serial}`, hallId: 't1-hall', role: 'locker', name: 'locker' });
    const locker = (await server.app.inject({ method: 'POST', url: '/api/v1/sync/enroll', headers: SYNC_VERSIONS, payload: { code: created.body.enrollmentCode } })).json().credential as string;
    // A fictitious mobile number (the test range), never a real citizen's.
    const issued = await api('POST', '/lockers/deposit-codes', 'clerk', { hallId: 't1-hall', items: [{ caseNumber: cases[0]!.number, size: 'small', idNumber: makeTestIdNumber(), name: '测试', phone: '13800000000' }] });
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    const parcelId = (issued.body.codes as { parcelId: string }[])[0]!.parcelId;
    const event = async (body: Record<string, unknown>) => {
      const response = await server.app.inject({ method: 'POST', url: '/api/v1/lockers/events', headers: bearer(locker), payload: { events: [body] } });
      expect(response.json().results[0], response.body).toMatchObject({ status: 'applied' });
    };
    const slip = async () => (await api('GET', `/halls/t1-hall/handoffs?q=${number}`, 't1-officer-h')).body.handoffs[0];
    const at = new Date(nowMs).toISOString();
    await event({ id: `hl-deposit-${serial}`, type: 'deposited', at, parcelId, compartmentId: 'A01', size: 'small', caseNumber: cases[0]!.number, pickupCode: '12345678' });
    const deposited = await slip();
    expect(deposited.cases.map((c: { step: string; status: string }) => [c.step, c.status])).toEqual([['locker', 'completed'], ['acceptance', 'approved']]);
    expect(deposited.history).toEqual([expect.objectContaining({ caseId: cases[0]!.caseId, from: 'acceptance', to: 'locker', result: 'signed', hallId: 't1-hall' })]);
    expect(deposited.history[0].note).toContain('智能文件柜');
    // The pickup delivers the case; the papers are already at the locker, so no second sign-in.
    await event({ id: `hl-pickup-${serial}`, type: 'picked_up', at, parcelId, compartmentId: 'A01', by: 'residence_code' });
    const collected = await slip();
    expect(collected.cases[0]).toMatchObject({ step: 'locker', status: 'delivered' });
    expect(collected.history).toHaveLength(1);
  });

  it("uses the hall's own limit from its case rules, refusing a limit out of range", async () => {
    const { number } = await bundled();
    const listed = async () => (await api('GET', '/halls/t1-hall/handoffs/overdue', 'manager')).body.handoffs.some((h: { number: string; overdue: boolean }) => h.number === number && h.overdue);
    const rules = (body: Record<string, unknown>) => api('PUT', '/halls/t1-hall/case-rules', 'manager', body);
    expect((await rules({ handoffStepLimitHours: 0 })).status).toBe(400);
    expect((await rules({ handoffStepLimitHours: 721 })).status).toBe(400);
    expect((await api('GET', '/halls/t1-hall/case-rules', 'manager')).body.rules).toMatchObject({ handoffStepLimitHours: 48 });
    expect((await rules({ handoffStepLimitHours: 4 })).status).toBe(200);
    nowMs += 5 * HOUR_MS;
    tokens.manager = await server.login('t1-manager');
    expect(await listed()).toBe(true);
    // Back to the default: five hours at a desk is no longer too long.
    expect((await rules({})).status).toBe(200);
    expect(await listed()).toBe(false);
  });

  it('lists papers sitting at a desk beyond the limit for supervision', async () => {
    const { number } = await bundled();
    expect((await api('GET', '/halls/t1-hall/handoffs/overdue', 'manager')).body.handoffs.some((h: { number: string }) => h.number === number)).toBe(false);
    nowMs += 49 * HOUR_MS;
    tokens.manager = await server.login('t1-manager');
    const overdue = await api('GET', '/halls/t1-hall/handoffs/overdue', 'manager');
    expect(overdue.body.handoffs).toContainEqual(expect.objectContaining({ number, step: 'acceptance', overdue: true }));
  });
});
