import { describe, expect, it } from 'vitest';
import { makeTestService } from '../catalogue/testService';
import { DEFAULT_CASE_RULES, type Hall } from '../domain/index';
import { makeTestRules, makeTestSetup, TEST_DAY_START_MS } from '../queue/testHall';
import { checkOrigin } from './authority';
import { caseProgress } from '../phone/track';
import { executeIntent, type ExecuteContext } from './execute';
import { checkHandoffScan, handoffCases, handoffOverdue, handoffSlipCode, parseHandoffSlipCode } from './handoff';
import { parseIntent, queueIntent, type AnyIntent } from './mutation';
import { applyChange, emptyHallState, type HallState } from './state';

const hall: Pick<Hall, 'timeZone' | 'openingHours'> = {
  timeZone: 'Asia/Shanghai',
  openingHours: { weekdays: [1, 2, 3, 4, 5], sessions: [{ from: '09:00', to: '17:30' }] },
};
const base = makeTestService();
const service = makeTestService({ id: 'hz1', queueId: 'qa', guide: { ...base.guide, promisedDays: 3 } });
const ctx: ExecuteContext = { setup: makeTestSetup(), rules: makeTestRules(), catalogue: { hall, services: [service], caseRules: DEFAULT_CASE_RULES } };
const HALL = ctx.setup.hallId;
const at = (minutes: number) => new Date(TEST_DAY_START_MS + minutes * 60_000).toISOString();
const TOKEN = 'slip-token-slip-token-1';
const OTHER_TOKEN = 'slip-token-slip-token-2';

function run(state: HallState, type: string, payload: Record<string, unknown>) {
  const parsed = parseIntent(type, payload);
  if (!parsed.ok) throw new Error(parsed.error);
  const result = executeIntent(state, parsed.intent, ctx);
  if (result.ok) for (const change of result.changes) applyChange(state, change);
  return result;
}

/** Two accepted cases k1, k2 (tickets t1, t2) of the test hall. */
function twoAccepted(): HallState {
  const state = emptyHallState();
  for (const n of [1, 2]) {
    const issue: AnyIntent = queueIntent({ type: 'issueTicket', ticketId: `t${n}`, queueId: 'qa', serviceIds: ['hz1'], kind: 'walk_in', sequence: n }, at(n));
    const issued = executeIntent(state, issue, ctx);
    expect(issued).toMatchObject({ ok: true });
    if (issued.ok) for (const change of issued.changes) applyChange(state, change);
    expect(run(state, 'submitForm', { caseId: `k${n}`, serviceId: 'hz1', ticketId: `t${n}`, answers: { 'q-for': ['self'], 'q-use': ['other'] }, values: {}, at: at(n + 1) })).toMatchObject({ ok: true });
    expect(run(state, 'acceptCase', { caseId: `k${n}`, staffId: 'clerk-1', counterId: 'c1', received: [{ materialId: 'm-id' }, { materialId: 'm-hukou' }], caseNumber: `N-${n}`, at: at(n + 5) })).toMatchObject({ ok: true });
  }
  return state;
}

const items = [
  { id: 'm-id', name: '身份证复印件', copies: 1 },
  { id: 'm-hukou', name: '户口簿复印件', copies: 1 },
];
const startPackage = (state: HallState, extra: Record<string, unknown> = {}) =>
  run(state, 'startHandoff', { handoffId: 'h1', number: 'LZ-1', token: TOKEN, staffId: 'clerk-1', counterId: 'c1', cases: [{ caseId: 'k1', items }, { caseId: 'k2', items }], at: at(20), ...extra });
const sign = (state: HallState, step: string, extra: Record<string, unknown> = {}) => run(state, 'signHandoff', { handoffId: 'h1', token: TOKEN, step, hallId: HALL, staffId: 'officer-1', at: at(30), ...extra });

describe('hand-off packages', () => {
  it('bundles two accepted cases under one slip and moves both with one scan, recording missing and extra papers', () => {
    const state = twoAccepted();
    expect(startPackage(state)).toMatchObject({ ok: true });
    expect(handoffCases(state.cases, 'h1').map((c) => c.id)).toEqual(['k1', 'k2']);
    expect(state.cases.k1!.handoff).toMatchObject({ number: 'LZ-1', step: 'acceptance', hallId: HALL });
    expect(sign(state, 'review', { marks: [{ caseId: 'k2', missing: ['m-hukou'], extra: ['结婚证复印件'] }] })).toMatchObject({ ok: true });
    expect(state.cases.k1!.handoff).toMatchObject({ step: 'review', since: at(30), moves: [{ from: 'acceptance', to: 'review', result: 'signed', missing: [], extra: [] }] });
    expect(state.cases.k2!.handoff!.moves[0]).toMatchObject({ missing: ['m-hukou'], extra: ['结婚证复印件'] });
  });

  it('follows the case: production and delivery wait for approval, the citizen for completion', () => {
    const state = twoAccepted();
    startPackage(state);
    expect(sign(state, 'review')).toMatchObject({ ok: true });
    expect(sign(state, 'production', { at: at(40) })).toMatchObject({ ok: false, code: 'case_not_ready' });
    expect(state.cases.k1!.handoff!.step).toBe('review');
    for (const id of ['k1', 'k2']) expect(run(state, 'approveCase', { caseId: id, staffId: 'officer-1', at: at(50) })).toMatchObject({ ok: true });
    expect(sign(state, 'approval', { at: at(51) })).toMatchObject({ ok: true });
    expect(sign(state, 'production', { at: at(52) })).toMatchObject({ ok: true });
    expect(sign(state, 'delivery', { at: at(53), counterId: 'c2', staffId: 'clerk-2' })).toMatchObject({ ok: true });
    expect(sign(state, 'citizen', { at: at(54), caseIds: ['k1'] })).toMatchObject({ ok: false, code: 'case_not_ready' });
    expect(run(state, 'completeCase', { caseId: 'k1', staffId: 'officer-1', at: at(55) })).toMatchObject({ ok: true });
    // One case of the package at a time.
    expect(sign(state, 'citizen', { at: at(56), caseIds: ['k1'] })).toMatchObject({ ok: true });
    expect(state.cases.k1!.handoff!.step).toBe('citizen');
    expect(state.cases.k2!.handoff!.step).toBe('delivery');
    expect(state.cases.k1!.handoff!.moves.map((m) => m.to)).toEqual(['review', 'approval', 'production', 'delivery', 'citizen']);
  });

  it('records a second sign-in at the same step as a refused duplicate: the first in the agreed order keeps the paper', () => {
    const state = twoAccepted();
    startPackage(state);
    expect(sign(state, 'review', { staffId: 'officer-1', at: at(30) })).toMatchObject({ ok: true });
    expect(sign(state, 'review', { staffId: 'officer-2', at: at(31) })).toMatchObject({ ok: true });
    const moves = state.cases.k1!.handoff!.moves;
    expect(moves.map((m) => [m.staffId, m.result])).toEqual([
      ['officer-1', 'signed'],
      ['officer-2', 'duplicate'],
    ]);
    expect(state.cases.k1!.handoff!.since).toBe(at(30));
  });

  it('refuses a package scanned at a step its paper is past, and records nothing', () => {
    const state = twoAccepted();
    startPackage(state);
    sign(state, 'review');
    expect(sign(state, 'review', { caseIds: ['k1'], at: at(31) })).toMatchObject({ ok: true });
    for (const id of ['k1', 'k2']) run(state, 'approveCase', { caseId: id, staffId: 'officer-1', at: at(50) });
    expect(sign(state, 'production', { caseIds: ['k1'], at: at(60) })).toMatchObject({ ok: true });
    const before = JSON.stringify(state.cases);
    expect(sign(state, 'approval', { at: at(61) })).toMatchObject({ ok: false, code: 'wrong_step' });
    expect(JSON.stringify(state.cases)).toBe(before);
  });

  it('refuses a forged token, a case not on the slip, an unknown item and a rebundle after the paper left', () => {
    const state = twoAccepted();
    startPackage(state);
    expect(sign(state, 'review', { token: OTHER_TOKEN })).toMatchObject({ ok: false, code: 'forged_code' });
    expect(sign(state, 'review', { handoffId: 'h-none' })).toMatchObject({ ok: false, code: 'forged_code' });
    expect(sign(state, 'review', { caseIds: ['k9'] })).toMatchObject({ ok: false, code: 'not_in_package' });
    expect(sign(state, 'review', { marks: [{ caseId: 'k1', missing: ['m-none'] }] })).toMatchObject({ ok: false, code: 'unknown_item' });
    sign(state, 'review');
    expect(startPackage(state, { handoffId: 'h2', token: OTHER_TOKEN })).toMatchObject({ ok: false, code: 'handoff_moving' });
  });

  it('lets the counter rebundle before the paper leaves: the old slip is void', () => {
    const state = twoAccepted();
    expect(run(state, 'startHandoff', { handoffId: 'h0', number: 'LZ-0', token: OTHER_TOKEN, staffId: 'clerk-1', counterId: 'c1', cases: [{ caseId: 'k1', items }], at: at(15) })).toMatchObject({ ok: true });
    expect(startPackage(state)).toMatchObject({ ok: true });
    expect(run(state, 'signHandoff', { handoffId: 'h0', token: OTHER_TOKEN, step: 'review', hallId: HALL, at: at(30) })).toMatchObject({ ok: false, code: 'forged_code' });
  });

  it('refuses a hand-off of a case not accepted', () => {
    const state = twoAccepted();
    expect(run(state, 'startHandoff', { handoffId: 'h3', number: 'LZ-3', token: TOKEN, staffId: 'clerk-1', counterId: 'c1', cases: [{ caseId: 'k-none', items }], at: at(20) })).toMatchObject({ ok: false, code: 'unknown_case' });
  });
});

describe('the slip code at a desk', () => {
  it('signs in a scanned slip, and refuses another hall, an altered code, a second scan and a non-slip', () => {
    const state = twoAccepted();
    startPackage(state);
    const code = handoffSlipCode(HALL, { id: 'h1', token: TOKEN });
    expect(parseHandoffSlipCode(code)).toEqual({ hallId: HALL, handoffId: 'h1', token: TOKEN });
    const scan = { step: 'review' as const, hallId: HALL, staffId: 'officer-1', at: at(30) };
    const checked = checkHandoffScan(state, HALL, code, scan);
    expect(checked).toMatchObject({ ok: true, payload: { handoffId: 'h1', token: TOKEN, step: 'review' } });
    expect(checkHandoffScan(state, HALL, handoffSlipCode('hall-other', { id: 'h1', token: TOKEN }), scan)).toMatchObject({ ok: false, code: 'other_hall' });
    expect(checkHandoffScan(state, HALL, code.replace(TOKEN, OTHER_TOKEN), scan)).toMatchObject({ ok: false, code: 'forged_code' });
    expect(checkHandoffScan(state, HALL, 'hall:case:k1:abc', scan)).toMatchObject({ ok: false, code: 'not_a_slip' });
    if (checked.ok) for (const kase of checked.cases) applyChange(state, { entity: 'case', id: kase.id, data: kase });
    expect(checkHandoffScan(state, HALL, code, { ...scan, at: at(31) })).toMatchObject({ ok: false, code: 'already_signed' });
  });

  it('tells the citizen where the papers are ("您的材料在 …")', () => {
    const state = twoAccepted();
    const catalogue = { hall: { ...hall, id: HALL, name: { zh: '测试大厅' } }, calendar: undefined, caseRules: DEFAULT_CASE_RULES } as never;
    expect(caseProgress(state.cases.k1!, catalogue, Date.parse(at(20)))).not.toHaveProperty('papersAt');
    startPackage(state);
    sign(state, 'review');
    expect(caseProgress(state.cases.k1!, catalogue, Date.parse(at(40)))).toMatchObject({ papersAt: 'review', papersSince: at(30) });
  });

  it('shows paper sitting at a desk beyond the limit, and not paper that left the hall', () => {
    const state = twoAccepted();
    startPackage(state);
    const kase = state.cases.k1!;
    expect(handoffOverdue(kase, new Date(Date.parse(at(20)) + 47 * 3_600_000))).toBe(false);
    expect(handoffOverdue(kase, new Date(Date.parse(at(20)) + 49 * 3_600_000))).toBe(true);
    expect(handoffOverdue({ ...kase, handoff: { ...kase.handoff!, step: 'citizen' } }, new Date(Date.parse(at(20)) + 99 * 3_600_000))).toBe(false);
  });

  it('lets a counter start and sign hand-offs for its own counter only, and no kiosk', () => {
    const state = twoAccepted();
    const parsed = parseIntent('startHandoff', { handoffId: 'h1', number: 'LZ-1', token: TOKEN, staffId: 'clerk-1', counterId: 'c1', cases: [{ caseId: 'k1', items }], at: at(20) });
    if (!parsed.ok) throw new Error(parsed.error);
    expect(checkOrigin({ id: 'd1', role: 'counter', counterId: 'c1' }, parsed.intent, state)).toBeUndefined();
    expect(checkOrigin({ id: 'd1', role: 'counter', counterId: 'c2' }, parsed.intent, state)).toMatchObject({ code: 'not_own_counter' });
    expect(checkOrigin({ id: 'd2', role: 'kiosk' }, parsed.intent, state)).toMatchObject({ code: 'forbidden_for_role' });
  });
});

describe('cross-hall hand-offs (跨厅流转)', () => {
  const DEST = 'hall-dest';
  const scanAt = (state: HallState, deskHall: string, code: string) => checkHandoffScan(state, deskHall, code, { step: 'review', hallId: deskHall, staffId: 'officer-9', at: at(40) });

  it("lets the destination hall's desk sign the slip, moves the paper there, and names that hall in the citizen's progress", () => {
    const state = twoAccepted();
    expect(startPackage(state, { toHallId: DEST })).toMatchObject({ ok: true });
    expect(state.cases.k1!.handoff).toMatchObject({ hallId: HALL, toHallId: DEST });
    const code = handoffSlipCode(HALL, { id: 'h1', token: TOKEN });
    const checked = scanAt(state, DEST, code);
    expect(checked).toMatchObject({ ok: true, payload: { hallId: DEST } });
    expect(sign(state, 'review', { hallId: DEST })).toMatchObject({ ok: true });
    expect(state.cases.k1!.handoff).toMatchObject({ step: 'review', hallId: DEST, moves: [{ hallId: DEST, result: 'signed' }] });
    expect(state.cases.k1!.hallId).toBe(HALL);
    const progress = caseProgress(state.cases.k1!, { hall: { ...hall, id: HALL, name: { zh: '本厅' } }, calendar: undefined, caseRules: DEFAULT_CASE_RULES, cityHalls: [{ id: DEST, name: { zh: '市民中心' } }] } as never, Date.parse(at(50)));
    expect(progress).toMatchObject({ papersAt: 'review', papersHall: { zh: '市民中心' } });
    // The next step in the destination hall: the paper is there now.
    expect(sign(state, 'approval', { hallId: DEST })).toMatchObject({ ok: true });
  });

  it('refuses a third hall, a slip kept in its own hall, and a forged code at the destination', () => {
    const state = twoAccepted();
    expect(startPackage(state, { toHallId: DEST })).toMatchObject({ ok: true });
    const code = handoffSlipCode(HALL, { id: 'h1', token: TOKEN });
    expect(scanAt(state, 'hall-third', code)).toMatchObject({ ok: false, code: 'other_hall' });
    expect(sign(state, 'review', { hallId: 'hall-third' })).toMatchObject({ ok: false, code: 'other_hall' });
    expect(scanAt(state, DEST, handoffSlipCode(HALL, { id: 'h1', token: OTHER_TOKEN }))).toMatchObject({ ok: false, code: 'forged_code' });
    expect(state.cases.k1!.handoff!.moves).toEqual([]);

    const local = twoAccepted();
    expect(startPackage(local)).toMatchObject({ ok: true });
    expect(local.cases.k1!.handoff!.toHallId).toBeUndefined();
    expect(scanAt(local, DEST, code)).toMatchObject({ ok: false, code: 'other_hall' });
    // A station of the destination hall holds none of the slip's cases: it cannot decide, and refuses.
    expect(scanAt(emptyHallState(), DEST, code)).toMatchObject({ ok: false, code: 'other_hall' });
  });
});
