import { describe, expect, it } from 'vitest';
import { makeTestService } from '../catalogue/testService';
import { DEFAULT_CASE_RULES, type Hall } from '../domain/index';
import { makeTestRules, makeTestSetup, TEST_DAY_START_MS } from '../queue/testHall';
import { checkOrigin } from './authority';
import { caseStage, parseReceiptQr, parseTrackReference, receiptMatches, receiptQrPayload } from './caseLifecycle';
import { promisedDueAt } from './caseRules';
import { executeIntent, type ExecuteContext } from './execute';
import { parseIntent, queueIntent, type AnyIntent } from './mutation';
import { applyChange, emptyHallState, type HallState } from './state';

const hall: Pick<Hall, 'timeZone' | 'openingHours'> = {
  timeZone: 'Asia/Shanghai',
  openingHours: { weekdays: [1, 2, 3, 4, 5], sessions: [{ from: '09:00', to: '17:30' }] },
};
const base = makeTestService();
const service = makeTestService({ id: 'hz1', queueId: 'qa', guide: { ...base.guide, promisedDays: 3 }, acceptWithPendingMaterials: true });
const onTheSpot = makeTestService({ id: 'hz2', queueId: 'qa', guide: { ...base.guide, promisedDays: 0 } });
const ctx: ExecuteContext = { setup: makeTestSetup(), rules: makeTestRules(), catalogue: { hall, services: [service, onTheSpot], caseRules: { ...DEFAULT_CASE_RULES, supplementDays: 5 } } };
const selfAnswers = { 'q-for': ['self'], 'q-use': ['other'] };
const at = (minutes: number) => new Date(TEST_DAY_START_MS + minutes * 60_000).toISOString();
const DAY = 24 * 60;
const promisedDueAtOf = (from: string, days: number) => promisedDueAt(from, days, hall);

function run(state: HallState, intent: AnyIntent) {
  const result = executeIntent(state, intent, ctx);
  if (result.ok) for (const change of result.changes) applyChange(state, change);
  return result;
}

/** Parsed as the server parses a pushed payload, so the schemas are part of every step tested. */
function step(type: string, payload: Record<string, unknown>): AnyIntent {
  const parsed = parseIntent(type, payload);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.intent;
}

function submitted(serviceId = 'hz1'): HallState {
  const state = emptyHallState();
  expect(run(state, queueIntent({ type: 'issueTicket', ticketId: 't1', queueId: 'qa', serviceIds: [serviceId], kind: 'walk_in', sequence: 1 }, at(0)))).toMatchObject({ ok: true });
  expect(run(state, { type: 'submitForm', payload: { caseId: 'k1', serviceId, ticketId: 't1', answers: selfAnswers, values: {}, at: at(1) } })).toMatchObject({ ok: true });
  return state;
}

const acceptK1 = (extra: Record<string, unknown> = {}) =>
  step('acceptCase', { caseId: 'k1', staffId: 'clerk-1', counterId: 'c1', received: [{ materialId: 'm-id' }, { materialId: 'm-hukou' }], caseNumber: 'N-1', at: at(10), ...extra });

function accepted(delivery = 'counter'): HallState {
  const state = submitted();
  expect(run(state, acceptK1({ delivery }))).toMatchObject({ ok: true });
  return state;
}

describe('a case from acceptance to the citizen holding the result', () => {
  it('routes to the department, approves, completes, hands over, and keeps the whole timeline', () => {
    const state = accepted();
    expect(state.cases.k1).toMatchObject({ status: 'accepted', departmentId: service.departmentId, number: 'N-1' });
    expect(run(state, step('approveCase', { caseId: 'k1', staffId: 'officer-1', at: at(DAY) }))).toMatchObject({ ok: true });
    expect(run(state, step('completeCase', { caseId: 'k1', staffId: 'officer-1', at: at(DAY + 10) }))).toMatchObject({ ok: true });
    const kase = state.cases.k1;
    expect(kase).toMatchObject({ status: 'completed', completedAt: at(DAY + 10), completedByStaffId: 'officer-1', approvedByStaffId: 'officer-1' });
    // Handed over at the counter to a proxy with their own ID.
    const collection = { maskedName: '李*', idHash: 'h'.repeat(64), proxy: true };
    expect(run(state, step('handOverResult', { caseId: 'k1', staffId: 'clerk-2', counterId: 'c2', handover: { method: 'post', courier: 'EMS', trackingNumber: '1234567' }, at: at(DAY + 20) }))).toMatchObject({
      ok: false,
      code: 'delivery_mismatch',
    });
    expect(run(state, step('handOverResult', { caseId: 'k1', staffId: 'clerk-2', counterId: 'c2', handover: { method: 'counter', counterId: 'c2', collection }, at: at(DAY + 20) }))).toMatchObject({ ok: true });
    expect(state.cases.k1).toMatchObject({ status: 'delivered', deliveredAt: at(DAY + 20), handover: { method: 'counter', collection } });
    expect(state.cases.k1?.timeline.map((s) => s.kind)).toEqual(['submitted', 'accepted', 'approved', 'completed', 'delivered']);
    expect(state.cases.k1?.timeline.at(-1)?.note).toBe('代领：李*');
    // Nothing follows delivery.
    expect(run(state, step('returnResult', { caseId: 'k1', at: at(400 * DAY) }))).toMatchObject({ ok: false, code: 'case_wrong_status' });
  });

  it('refuses forbidden transitions with a clear code and leaves the case as it was', () => {
    const state = accepted();
    expect(run(state, step('denyCase', { caseId: 'k1', staffId: 'officer-1', reason: '不符合条件', at: at(20) }))).toMatchObject({ ok: true });
    const refused = state.cases.k1;
    for (const [type, payload] of [
      ['completeCase', { caseId: 'k1', staffId: 'officer-1', at: at(30) }],
      ['approveCase', { caseId: 'k1', staffId: 'officer-1', at: at(30) }],
      ['requestSupplement', { caseId: 'k1', supplementId: 's1', staffId: 'officer-1', items: [{ note: 'x' }], at: at(30) }],
      ['requestWithdrawal', { caseId: 'k1', staffId: 'clerk-1', counterId: 'c1', cause: 'citizen_request', reason: '不办了', at: at(30) }],
    ] as const) {
      expect(run(state, step(type, payload)), type).toMatchObject({ ok: false, code: 'case_wrong_status' });
    }
    expect(state.cases.k1).toBe(refused);
    expect(run(state, step('approveCase', { caseId: 'nope', staffId: 'officer-1', at: at(30) }))).toMatchObject({ ok: false, code: 'unknown_case' });
  });

  it('needs approval before completion unless the service is settled on the spot (即办)', () => {
    const state = accepted();
    expect(run(state, step('completeCase', { caseId: 'k1', staffId: 'clerk-1', counterId: 'c1', at: at(20) }))).toMatchObject({ ok: false, code: 'not_approved' });
    const spot = submitted('hz2');
    expect(run(spot, acceptK1())).toMatchObject({ ok: true });
    expect(run(spot, step('completeCase', { caseId: 'k1', staffId: 'clerk-1', counterId: 'c1', at: at(20) }))).toMatchObject({ ok: true });
    expect(spot.cases.k1?.status).toBe('completed');
  });

  it('electronic results are delivered when the case completes', () => {
    const state = accepted('electronic');
    run(state, step('approveCase', { caseId: 'k1', staffId: 'o', at: at(20) }));
    expect(run(state, step('completeCase', { caseId: 'k1', staffId: 'o', at: at(30) }))).toMatchObject({ ok: true });
    expect(state.cases.k1).toMatchObject({ status: 'delivered', handover: { method: 'electronic' } });
  });
});

describe('supplements (补齐补正)', () => {
  it('keeps every request in the history, sets the deadline in working days, and restarts the promised days when the papers arrive', () => {
    const state = accepted();
    const request = { caseId: 'k1', supplementId: 's1', staffId: 'officer-1', items: [{ materialId: 'm-hukou', note: '户口簿复印件不清晰' }], at: at(60) };
    expect(run(state, step('requestSupplement', { ...request, items: [{ materialId: 'm-nosuch', note: 'x' }] }))).toMatchObject({ ok: false, code: 'unknown_material' });
    expect(run(state, step('requestSupplement', request))).toMatchObject({ ok: true });
    // Monday + 5 working days → the next Monday at closing (17:30 UTC+8).
    expect(state.cases.k1).toMatchObject({ status: 'supplement_requested', supplements: [{ id: 's1', dueAt: '2026-03-09T09:30:00.000Z' }] });
    expect(caseStage(state.cases.k1!, DEFAULT_CASE_RULES, hall)).toEqual({ stage: 'supplement', dueAt: '2026-03-09T09:30:00.000Z' });
    // One open request at a time; a second one waits until the first is answered.
    expect(run(state, step('requestSupplement', { ...request, supplementId: 's2' }))).toMatchObject({ ok: false, code: 'case_wrong_status' });
    expect(run(state, step('approveCase', { caseId: 'k1', staffId: 'officer-1', at: at(70) }))).toMatchObject({ ok: false, code: 'case_wrong_status' });

    // Brought to another counter two days later.
    expect(run(state, step('recordSupplement', { caseId: 'k1', staffId: 'clerk-2', counterId: 'c2', received: [{ materialId: 'm-hukou', pageCount: 2 }], at: at(2 * DAY) }))).toMatchObject({ ok: true });
    const kase = state.cases.k1!;
    expect(kase.status).toBe('accepted');
    expect(kase.supplements[0]).toMatchObject({ receivedAt: at(2 * DAY), receivedByStaffId: 'clerk-2', receivedAtCounterId: 'c2' });
    // Wednesday + 3 working days → the next Monday.
    expect(kase.dueAt).toBe('2026-03-09T09:30:00.000Z');
    // A second request is allowed, and the first stays visible beside it.
    expect(run(state, step('requestSupplement', { ...request, supplementId: 's2', items: [{ note: '补充说明' }], at: at(3 * DAY) }))).toMatchObject({ ok: true });
    expect(state.cases.k1?.supplements.map((s) => s.id)).toEqual(['s1', 's2']);
    expect(run(state, step('requestSupplement', { ...request, supplementId: 's1' }))).toMatchObject({ ok: false });
  });

  it('closes a case whose supplement deadline passed, and not before', () => {
    const state = accepted();
    run(state, step('requestSupplement', { caseId: 'k1', supplementId: 's1', staffId: 'o', items: [{ note: '补户口簿' }], at: at(60) }));
    const dueAt = state.cases.k1!.supplements[0]!.dueAt;
    expect(run(state, step('closeOverdueCase', { caseId: 'k1', at: new Date(Date.parse(dueAt) - 1000).toISOString() }))).toMatchObject({ ok: false, code: 'not_overdue' });
    expect(run(state, step('closeOverdueCase', { caseId: 'k1', at: new Date(Date.parse(dueAt) + 1000).toISOString() }))).toMatchObject({ ok: true });
    expect(state.cases.k1?.status).toBe('closed');
    expect(run(state, step('recordSupplement', { caseId: 'k1', staffId: 'c', counterId: 'c1', received: [], at: at(9 * DAY) }))).toMatchObject({ ok: false, code: 'case_wrong_status' });
  });
});

describe('容缺受理: accepting with materials pending', () => {
  it('accepts with named pending materials only where the service allows, and blocks completion until they arrive', () => {
    const strict = submitted('hz2');
    expect(run(strict, step('acceptCase', { caseId: 'k1', staffId: 'c', counterId: 'c1', received: [{ materialId: 'm-id' }], pendingMaterialIds: ['m-hukou'], at: at(10) }))).toMatchObject({ ok: false, code: 'pending_not_allowed' });

    const state = submitted();
    expect(run(state, step('acceptCase', { caseId: 'k1', staffId: 'c', counterId: 'c1', received: [{ materialId: 'm-id' }], at: at(10) }))).toMatchObject({ ok: false, code: 'materials_missing' });
    expect(run(state, step('acceptCase', { caseId: 'k1', staffId: 'c', counterId: 'c1', received: [{ materialId: 'm-id' }, { materialId: 'm-hukou' }], pendingMaterialIds: ['m-hukou'], at: at(10) }))).toMatchObject({ ok: false, code: 'unknown_material' });
    expect(run(state, step('acceptCase', { caseId: 'k1', staffId: 'c', counterId: 'c1', received: [{ materialId: 'm-id' }], pendingMaterialIds: ['m-hukou'], at: at(10) }))).toMatchObject({ ok: true });
    expect(state.cases.k1).toMatchObject({ status: 'accepted', pendingMaterialIds: ['m-hukou'] });
    run(state, step('approveCase', { caseId: 'k1', staffId: 'o', at: at(20) }));
    expect(run(state, step('completeCase', { caseId: 'k1', staffId: 'o', at: at(30) }))).toMatchObject({ ok: false, code: 'materials_pending' });
    expect(run(state, step('recordSupplement', { caseId: 'k1', staffId: 'c', counterId: 'c1', received: [{ materialId: 'm-id' }], at: at(40) }))).toMatchObject({ ok: false, code: 'nothing_owed' });
    expect(run(state, step('recordSupplement', { caseId: 'k1', staffId: 'c', counterId: 'c1', received: [{ materialId: 'm-hukou', pageCount: 1 }], at: at(40) }))).toMatchObject({ ok: true });
    expect(state.cases.k1).toMatchObject({ status: 'approved', pendingMaterialIds: [] });
    expect(run(state, step('completeCase', { caseId: 'k1', staffId: 'o', at: at(50) }))).toMatchObject({ ok: true });
  });
});

describe('consult-and-approve, transfer, withdrawal, return', () => {
  it('a clerk may accept only after the department approved the question', () => {
    const state = submitted();
    expect(run(state, step('requestConsult', { caseId: 'k1', staffId: 'clerk-1', counterId: 'c1', question: '户口簿遗失能否受理？', at: at(5) }))).toMatchObject({ ok: true });
    expect(run(state, acceptK1())).toMatchObject({ ok: false, code: 'consult_pending' });
    expect(run(state, step('answerConsult', { caseId: 'k1', staffId: 'officer-1', approve: false, answer: '需先挂失', at: at(6) }))).toMatchObject({ ok: true });
    expect(run(state, acceptK1())).toMatchObject({ ok: false, code: 'consult_refused' });
    expect(run(state, step('answerConsult', { caseId: 'k1', staffId: 'officer-1', approve: true, at: at(7) }))).toMatchObject({ ok: false, code: 'no_consult' });
    // Asked again with more facts, approved this time.
    run(state, step('requestConsult', { caseId: 'k1', staffId: 'clerk-1', counterId: 'c1', question: '已挂失', at: at(8) }));
    run(state, step('answerConsult', { caseId: 'k1', staffId: 'officer-1', approve: true, at: at(9) }));
    expect(run(state, acceptK1())).toMatchObject({ ok: true });
    expect(state.cases.k1?.timeline.map((s) => s.kind)).toEqual(['submitted', 'consult_requested', 'consult_answered', 'consult_requested', 'consult_answered', 'accepted']);
  });

  it('a special procedure (特殊程序) holds the review with its own limit and moves the promised date by the working days it took', () => {
    const state = accepted();
    const promised = state.cases.k1!.dueAt!;
    expect(run(state, step('endSpecialProcedure', { caseId: 'k1', staffId: 'o', at: at(20) }))).toMatchObject({ ok: false, code: 'no_special_procedure' });
    expect(run(state, step('startSpecialProcedure', { caseId: 'k1', staffId: 'o', kind: 'expert_review', reason: '需专家论证', days: 5, at: at(20) }))).toMatchObject({ ok: true });
    // Its own limit: Monday + 5 working days → the next Monday at closing.
    expect(caseStage(state.cases.k1!, DEFAULT_CASE_RULES, hall)).toEqual({ stage: 'special', dueAt: '2026-03-09T09:30:00.000Z' });
    for (const [type, payload] of [
      ['approveCase', { caseId: 'k1', staffId: 'o', at: at(30) }],
      ['completeCase', { caseId: 'k1', staffId: 'o', at: at(30) }],
      ['requestSupplement', { caseId: 'k1', supplementId: 's1', staffId: 'o', items: [{ note: 'x' }], at: at(30) }],
      ['startSpecialProcedure', { caseId: 'k1', staffId: 'o', kind: 'hearing', reason: '听证', days: 3, at: at(30) }],
    ] as const) {
      expect(run(state, step(type, payload)), type).toMatchObject({ ok: false, code: 'special_procedure_open' });
    }
    // Ended on Thursday: Monday, Tuesday and Wednesday were spent; the promised date moves three working days on.
    expect(run(state, step('endSpecialProcedure', { caseId: 'k1', staffId: 'o', at: at(3 * DAY + 60) }))).toMatchObject({ ok: true });
    const kase = state.cases.k1!;
    expect(kase.dueAt).toBe(promisedDueAtOf(promised, 3));
    expect(caseStage(kase, DEFAULT_CASE_RULES, hall).stage).toBe('review');
    expect(kase.timeline.map((s) => s.kind).slice(-2)).toEqual(['special_started', 'special_ended']);
    expect(run(state, step('approveCase', { caseId: 'k1', staffId: 'o', at: at(3 * DAY + 70) }))).toMatchObject({ ok: true });
  });

  it('transfers between officers and refuses a transfer to the same officer', () => {
    const state = accepted();
    expect(run(state, step('transferCase', { caseId: 'k1', staffId: 'officer-1', toStaffId: 'officer-2', note: '请协办', at: at(20) }))).toMatchObject({ ok: true });
    expect(state.cases.k1?.assignedStaffId).toBe('officer-2');
    expect(run(state, step('transferCase', { caseId: 'k1', staffId: 'officer-1', toStaffId: 'officer-2', at: at(21) }))).toMatchObject({ ok: false, code: 'same_officer' });
  });

  it('withdraws at once before acceptance, and only with approval once the department has the case', () => {
    const early = submitted();
    expect(run(early, step('requestWithdrawal', { caseId: 'k1', staffId: 'clerk-1', counterId: 'c1', cause: 'clerk_error', reason: '录错事项', at: at(5) }))).toMatchObject({ ok: true });
    expect(early.cases.k1?.status).toBe('withdrawn');

    const state = accepted();
    expect(run(state, step('requestWithdrawal', { caseId: 'k1', staffId: 'clerk-1', counterId: 'c1', cause: 'citizen_request', reason: '申请人不再办理', at: at(20) }))).toMatchObject({ ok: true });
    expect(state.cases.k1).toMatchObject({ status: 'accepted', withdrawal: { cause: 'citizen_request' } });
    expect(run(state, step('approveCase', { caseId: 'k1', staffId: 'o', at: at(21) }))).toMatchObject({ ok: false, code: 'withdrawal_pending' });
    expect(run(state, step('approveWithdrawal', { caseId: 'k1', staffId: 'manager-1', at: at(22) }))).toMatchObject({ ok: true });
    expect(state.cases.k1).toMatchObject({ status: 'withdrawn', withdrawal: { approvedByStaffId: 'manager-1' } });
    expect(run(state, step('approveWithdrawal', { caseId: 'k1', staffId: 'manager-1', at: at(23) }))).toMatchObject({ ok: false, code: 'case_wrong_status' });
  });

  it('returns a result not collected within the hall period', () => {
    const state = accepted();
    run(state, step('approveCase', { caseId: 'k1', staffId: 'o', at: at(20) }));
    run(state, step('completeCase', { caseId: 'k1', staffId: 'o', at: at(30) }));
    expect(caseStage(state.cases.k1!, DEFAULT_CASE_RULES, hall).stage).toBe('collection');
    expect(run(state, step('returnResult', { caseId: 'k1', at: at(30 + 179 * DAY) }))).toMatchObject({ ok: false, code: 'not_due_for_return' });
    expect(run(state, step('returnResult', { caseId: 'k1', at: at(30 + 181 * DAY) }))).toMatchObject({ ok: true });
    expect(state.cases.k1?.status).toBe('returned');
  });

  it('records a change of delivery with its reason (受理变更登记)', () => {
    const state = accepted('counter');
    expect(run(state, step('chooseDelivery', { caseId: 'k1', staffId: 'clerk-1', delivery: 'locker', reason: '申请人要求', at: at(30) }))).toMatchObject({ ok: true });
    expect(state.cases.k1?.timeline.at(-1)).toMatchObject({ kind: 'changed', staffId: 'clerk-1', note: expect.stringContaining('申请人要求') });
  });
});

describe('who may send the lifecycle steps', () => {
  it('no station may send a back-office step, and a counter device names its own counter', () => {
    const state = accepted();
    const counterDevice = { id: 'd1', role: 'counter' as const, counterId: 'c1' };
    expect(checkOrigin(counterDevice, step('approveCase', { caseId: 'k1', staffId: 'x', at: at(1) }), state)).toMatchObject({ code: 'forbidden_for_role' });
    expect(checkOrigin(counterDevice, step('completeCase', { caseId: 'k1', staffId: 'x', at: at(1) }), state)).toMatchObject({ code: 'not_own_counter' });
    expect(checkOrigin(counterDevice, step('completeCase', { caseId: 'k1', staffId: 'x', counterId: 'c1', at: at(1) }), state)).toBeUndefined();
    expect(checkOrigin({ id: 'k', role: 'kiosk' }, step('recordSupplement', { caseId: 'k1', staffId: 'x', counterId: 'c1', received: [], at: at(1) }), state)).toMatchObject({ code: 'forbidden_for_role' });
  });

  it('lets any counter register a change of delivery under its own name, with the reason on the timeline', () => {
    const state = accepted();
    // The ticket was served at counter 1; the citizen changes the way at counter 2 weeks later.
    const change = step('chooseDelivery', { caseId: 'k1', staffId: 'clerk-2', delivery: 'post', reason: '申请人出差，改为邮寄', counterId: 'c2', at: at(DAY) });
    expect(checkOrigin({ id: 'd2', role: 'counter', counterId: 'c2' }, change, state)).toBeUndefined();
    expect(checkOrigin({ id: 'd3', role: 'counter', counterId: 'c3' }, change, state)).toMatchObject({ code: 'not_own_counter' });
    expect(run(state, change)).toMatchObject({ ok: true });
    expect(state.cases.k1?.timeline.at(-1)).toMatchObject({ kind: 'changed', counterId: 'c2', staffId: 'clerk-2', note: expect.stringContaining('申请人出差，改为邮寄') });
  });
});

describe('receipt QR', () => {
  const kase = { id: '0190a3f2-7c1e-7000-8000-00000000abcd', receiptToken: 'Qm9vdHN0cmFwVG9rZW4xMjM0' };

  it('is a track link under the public address when the counter knows it, hall:case: otherwise', () => {
    expect(receiptQrPayload(kase, 'https://hall.example.gov.cn/')).toBe(`https://hall.example.gov.cn/track/${kase.id}.${kase.receiptToken}`);
    expect(receiptQrPayload(kase)).toBe(`hall:case:${kase.id}:${kase.receiptToken}`);
  });

  it('reads both forms back to the same case and token, so paper printed either way still opens', () => {
    const expected = { caseId: kase.id, token: kase.receiptToken };
    expect(parseReceiptQr(receiptQrPayload(kase))).toEqual(expected);
    expect(parseReceiptQr(receiptQrPayload(kase, 'https://hall.example.gov.cn'))).toEqual(expected);
    expect(parseReceiptQr(` ${receiptQrPayload(kase, 'http://10.0.0.5:8080/hall/')}\n`)).toEqual(expected);
    expect(parseTrackReference(`${kase.id}.${kase.receiptToken}`)).toEqual(expected);
  });

  it('refuses what is not a receipt', () => {
    for (const text of [
      'hall:case:nonsense',
      `ftp://hall.example.gov.cn/track/${kase.id}.${kase.receiptToken}`,
      `https://hall.example.gov.cn/follow/${kase.id}.${kase.receiptToken}`,
      `https://hall.example.gov.cn/track/${kase.id}.${kase.receiptToken}?x=1`,
      `https://hall.example.gov.cn/track/${kase.id}:${kase.receiptToken}`,
      `https://hall.example.gov.cn/track/${kase.id}.short`,
      `https://${'a'.repeat(400)}/track/${kase.id}.${kase.receiptToken}`,
    ]) {
      expect(parseReceiptQr(text), text).toBeUndefined();
    }
    expect(parseTrackReference(`${kase.id}.${kase.receiptToken}.x`)).toBeUndefined();
  });

  it('opens a case only with its own token', () => {
    expect(receiptMatches(kase, kase.receiptToken)).toBe(true);
    expect(receiptMatches(kase, `${kase.receiptToken.slice(0, -1)}X`)).toBe(false);
    expect(receiptMatches({}, kase.receiptToken)).toBe(false);
    expect(receiptMatches(undefined, kase.receiptToken)).toBe(false);
  });
});
