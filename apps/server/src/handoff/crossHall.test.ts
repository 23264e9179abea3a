import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { localDay } from '@hall/shared';
import { handoffSlipCode } from '@hall/shared';
import { seedDemoHall } from '../demo/seed';
import { BACKENDS } from '../testing/databases';
import { FIXTURE_PASSWORD, fixtureHall } from '../testing/fixture';
import { startTestServer, type TestServer } from '../testing/server';
import { apiCall, newMutationId, pushingDevice } from '../testing/devices';

const pgUrl = inject('postgresUrl');
const HOUR_MS = 3_600_000;
const items = [
  { id: 'm-id', name: '身份证复印件', copies: 1 },
  { id: 'm-hukou', name: '户口簿复印件', copies: 1 },
];
/** Slip tokens are random base64url in production; fixed fictitious ones here. */
const token = (n: number) => `crosshall-test-token-${String(n).padStart(4, '0')}`;

/**
 * 跨厅流转 (issue 17): hall t1's counter sends a case's paper to hall t2 (a department not
 * stationed in t1). t2's back office signs t1's slip in at the central API, decided on t1's
 * state; every later step in t2 works the same; a third hall t3 and a forged code are refused.
 */
describe.each(BACKENDS)('cross-hall hand-offs (跨厅流转) on %s', (dialect) => {
  let server: TestServer;
  let nowMs = Date.parse('2026-03-02T02:00:00Z'); // a Monday, 10:00 in the hall
  const tokens: Record<string, string> = {};
  const officers = [
    ['t1-officer-c', 't1', 't1-dept'],
    ['t2-officer-c', 't2', 't2-dept'],
    ['t3-officer-c', 't3', 't3-dept'],
  ] as const;

  const login = async () => {
    for (const who of ['t1-manager', 't2-manager', 't3-manager']) tokens[who] = await server.login(who);
    for (const [id] of officers) tokens[id] = await server.login(id);
  };

  beforeAll(async () => {
    server = await startTestServer(dialect, pgUrl, { clock: () => new Date(nowMs) });
    await seedDemoHall(server.db.database.db, fixtureHall('t3'));
    for (const who of ['t1-manager', 't2-manager', 't3-manager']) tokens[who] = await server.login(who);
    for (const [id, hall, dept] of officers) {
      const created = await apiCall(server, 'POST', '/staff', tokens[`${hall}-manager`]!, {
        id, hallId: `${hall}-hall`, login: id, displayName: '审*', staffNumber: id.slice(-6), departmentId: dept, roles: ['officer'], password: FIXTURE_PASSWORD,
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
    }
    await login();
  });
  afterAll(async () => server.dispose());

  const api = (method: 'GET' | 'POST', url: string, who: string, payload?: Record<string, unknown>) => apiCall(server, method, url, tokens[who]!, payload);
  const scan = (who: string, hall: string, body: Record<string, unknown>) => api('POST', `/halls/${hall}-hall/handoffs/scan`, who, body);
  const search = async (who: string, hall: string, q: string) => (await api('GET', `/halls/${hall}-hall/handoffs?q=${encodeURIComponent(q)}`, who)).body;

  let serial = 0;
  /** One case accepted at t1's counter 1 and its paper put on a slip to `toHallId`; returns the slip. */
  async function slipTo(toHallId: string | undefined) {
    serial += 1;
    const device = (id: string, role: 'kiosk' | 'counter', counterId?: string) => pushingDevice(server, { id, role, hall: 't1', managerToken: tokens['t1-manager']!, counterId, now: () => nowMs });
    const kiosk = await device(`xk-${serial}`, 'kiosk');
    const counter = await device(`xc-${serial}`, 'counter', 't1-c1');
    await counter.push('closeCounter', { counterId: 't1-c1' });
    await counter.push('openCounter', { counterId: 't1-c1', staffId: 't1-clerk' });
    const block = await apiCall(server, 'POST', '/sync/leases', kiosk.credential, { queueId: 't1-qa', day: localDay(nowMs, 'Asia/Shanghai'), count: 1 });
    const ticketId = newMutationId();
    const caseId = newMutationId();
    expect(await kiosk.push('issueTicket', { ticketId, queueId: 't1-qa', serviceIds: ['t1-svc-1'], kind: 'walk_in', sequence: block.body.block.start })).toMatchObject({ status: 'applied' });
    const citizen = { maskedName: '李*', idHash: `${'cd'.repeat(31)}${String(serial).padStart(2, '0')}` };
    expect(await kiosk.push('submitForm', { caseId, ticketId, serviceId: 't1-svc-1', answers: { 'q-who': ['self'] }, formId: 't1-form', formVersion: 1, citizen, values: {} })).toMatchObject({ status: 'applied' });
    await counter.push('callSpecific', { counterId: 't1-c1', ticketId, staffId: 't1-clerk' });
    await counter.push('startServing', { counterId: 't1-c1', ticketId, staffId: 't1-clerk' });
    const number = `X-${serial}`;
    expect(await counter.push('acceptCase', { caseId, staffId: 't1-clerk', counterId: 't1-c1', received: [{ materialId: 'm-id' }, { materialId: 'm-hukou' }], caseNumber: number })).toMatchObject({ status: 'applied' });
    const handoffId = newMutationId();
    const started = await counter.push('startHandoff', {
      handoffId, number: `LZX-${serial}`, token: token(serial), staffId: 't1-clerk', counterId: 't1-c1', cases: [{ caseId, items }], ...(toHallId ? { toHallId } : {}),
    });
    expect(started, JSON.stringify(started)).toMatchObject({ status: 'applied' });
    return { caseId, number, handoffId, counter, code: handoffSlipCode('t1-hall', { id: handoffId, token: token(serial) }) };
  }

  it("signs hall t1's slip in at hall t2's back office when its paper goes to t2, on t1's state; t2's later steps, search and overdue list follow the paper", async () => {
    const { caseId, number, code } = await slipTo('t2-hall');
    // Before the sign-in, t2 finds the slip by its code (the paper is on its way there) and sees where it goes.
    const incoming = await search('t2-officer-c', 't2', code);
    expect(incoming.refusal).toBeUndefined();
    expect(incoming.handoffs[0]).toMatchObject({ step: 'acceptance', hallId: 't1-hall', toHallId: 't2-hall', caseHallId: 't1-hall', hallNames: { 't2-hall': '测试大厅t2' } });

    const review = await scan('t2-officer-c', 't2', { code, marks: [{ caseId, missing: ['m-hukou'] }] });
    expect(review.status, JSON.stringify(review.body)).toBe(200);
    expect(review.body.handoff).toMatchObject({ step: 'review', hallId: 't2-hall', history: [{ from: 'acceptance', to: 'review', hallId: 't2-hall', staffId: 't2-officer-c', missing: ['m-hukou'] }] });
    // The case stays in t1 (its log, its back office), its paper is in t2.
    const atHome = await search('t1-officer-c', 't1', number);
    expect(atHome.handoffs[0]).toMatchObject({ step: 'review', hallId: 't2-hall' });
    const row = await server.db.database.db.selectFrom('cases').select(['hall_id', 'handoff_hall_id']).where('id', '=', caseId).executeTakeFirstOrThrow();
    expect(row).toEqual({ hall_id: 't1-hall', handoff_hall_id: 't2-hall' });

    // A later step in t2: found there by the slip code and by the case number, signed the same way.
    expect((await search('t2-officer-c', 't2', number)).handoffs[0]).toMatchObject({ step: 'review' });
    const approval = await scan('t2-officer-c', 't2', { code });
    expect(approval.status, JSON.stringify(approval.body)).toBe(200);
    expect(approval.body.handoff).toMatchObject({ step: 'approval', hallId: 't2-hall' });
    expect((await scan('t2-officer-c', 't2', { code, step: 'approval' })).body).toMatchObject({ error: 'already_signed' });

    // Two days later: t2's overdue list shows the paper (it sits in t2); t1's does not.
    nowMs += 49 * HOUR_MS;
    await login();
    const overdue = async (hall: string) => ((await api('GET', `/halls/${hall}-hall/handoffs/overdue`, `${hall}-manager`)).body.handoffs as { number: string; overdue: boolean }[]).filter((h) => h.number === `LZX-${serial}`);
    expect(await overdue('t2')).toEqual([expect.objectContaining({ step: 'approval', overdue: true, hallId: 't2-hall' })]);
    expect(await overdue('t1')).toEqual([]);
    // The same department of t2 (户政, its own id there) sees it; only its managers and that department do.
    expect((await api('GET', '/halls/t2-hall/handoffs/overdue', 't2-officer-c')).body.handoffs).toContainEqual(expect.objectContaining({ number: `LZX-${serial}` }));
  });

  it('refuses the slip at a hall it does not go to, a forged code at the destination, and a slip kept in its own hall, recording nothing', async () => {
    const { code, number, counter, handoffId } = await slipTo('t2-hall');
    // t1's own counter cannot claim a sign-in at t2's desk: a station signs for its own hall only.
    expect(await counter.push('signHandoff', { handoffId, token: token(serial), step: 'review', hallId: 't2-hall', staffId: 't1-clerk', counterId: 't1-c1' })).toMatchObject({ status: 'rejected', code: 'other_hall' });
    const third = await scan('t3-officer-c', 't3', { code });
    expect(third.status).toBe(409);
    expect(third.body).toMatchObject({ error: 'other_hall' });
    expect(await search('t3-officer-c', 't3', code)).toMatchObject({ handoffs: [], refusal: { code: 'other_hall' } });
    expect((await search('t3-officer-c', 't3', number)).handoffs).toEqual([]);
    const forged = await scan('t2-officer-c', 't2', { code: `${code.slice(0, -2)}zz` });
    expect(forged.status).toBe(409);
    expect(forged.body).toMatchObject({ error: 'forged_code' });
    const history = async () => (await search('t1-officer-c', 't1', number)).handoffs[0].history as unknown[];
    expect(await history()).toEqual([]);

    // A slip that stays in t1: t2 may neither see nor sign it.
    const local = await slipTo(undefined);
    expect((await scan('t2-officer-c', 't2', { code: local.code })).body).toMatchObject({ error: 'other_hall' });
    expect((await search('t1-officer-c', 't1', local.number)).handoffs[0].history).toEqual([]);
  });
});
