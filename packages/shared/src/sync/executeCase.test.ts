import { describe, expect, it } from 'vitest';
import { makeTestService } from '../catalogue/testService';
import type { Hall } from '../domain/index';
import { makeTestRules, makeTestSetup, TEST_DAY_START_MS } from '../queue/testHall';
import { promisedDueAt } from './caseRules';
import { clerkMayServe } from './clerkCounters';
import { executeIntent, type ExecuteContext } from './execute';
import { intentPayload, parseIntent, queueIntent, type AnyIntent } from './mutation';
import { applyChange, emptyHallState, type HallState } from './state';

const hall: Pick<Hall, 'timeZone' | 'openingHours'> = {
  timeZone: 'Asia/Shanghai',
  openingHours: { weekdays: [1, 2, 3, 4, 5], sessions: [{ from: '09:00', to: '12:00' }, { from: '13:30', to: '17:30' }] },
};
// hz1 as a full service: answers self → other reach situation s-self (m-id and m-hukou required).
const service = makeTestService({ id: 'hz1', queueId: 'qa', guide: { ...makeTestService().guide, promisedDays: 3 } });
const ctx: ExecuteContext = { setup: makeTestSetup(), rules: makeTestRules(), catalogue: { hall, services: [service] } };
const selfAnswers = { 'q-for': ['self'], 'q-use': ['other'] };
const at = (minutes: number) => new Date(TEST_DAY_START_MS + minutes * 60_000).toISOString();

/** Runs an intent like a station commit: decided, then applied; the rejection is returned as is. */
function run(state: HallState, intent: AnyIntent) {
  const result = executeIntent(state, intent, ctx);
  if (result.ok) for (const change of result.changes) applyChange(state, change);
  return result;
}

/** A hall with ticket t1 served at counter c1 by clerk-1 and case k1 submitted for it at the kiosk. */
function servedHall(): HallState {
  const state = emptyHallState();
  const steps: AnyIntent[] = [
    queueIntent({ type: 'issueTicket', ticketId: 't1', queueId: 'qa', serviceIds: ['hz1'], kind: 'walk_in', sequence: 1 }, at(0)),
    queueIntent({ type: 'openCounter', counterId: 'c1' }, at(0), 'clerk-1'),
    { type: 'submitForm', payload: { caseId: 'k1', serviceId: 'hz1', ticketId: 't1', answers: selfAnswers, values: { name: '测试' }, at: at(1) } },
    queueIntent({ type: 'callNext', counterId: 'c1', ticketId: 't1' }, at(2), 'clerk-1'),
    queueIntent({ type: 'startServing', counterId: 'c1', ticketId: 't1' }, at(3), 'clerk-1'),
  ];
  for (const step of steps) expect(run(state, step), step.type).toMatchObject({ ok: true });
  return state;
}

const accept = (received: string[], extra: Record<string, unknown> = {}): AnyIntent => ({
  type: 'acceptCase',
  payload: {
    caseId: 'k1',
    staffId: 'clerk-1',
    counterId: 'c1',
    values: { name: '测试' },
    received: received.map((materialId) => ({ materialId, pageCount: 1 })),
    at: at(10),
    ...extra,
  },
});

describe('counter outcomes in the shared executor', () => {
  it('records the signed-in clerk on the ticket for calls and serving', () => {
    const state = servedHall();
    expect(state.queue.tickets.t1).toMatchObject({ status: 'serving', staffId: 'clerk-1' });
    // The clerk survives the station's outbox round trip.
    const stored = intentPayload(queueIntent({ type: 'finish', counterId: 'c1', ticketId: 't1' }, at(20), 'clerk-2'));
    const parsed = parseIntent('finish', stored);
    expect(parsed.ok && parsed.intent).toMatchObject({ staffId: 'clerk-2' });
    if (parsed.ok) run(state, parsed.intent);
    expect(state.queue.tickets.t1).toMatchObject({ status: 'finished', staffId: 'clerk-2' });
  });

  it('accepts only with every required material, computes the promised date, and decides once', () => {
    const state = servedHall();
    expect(run(state, accept(['m-id']))).toMatchObject({ ok: false, code: 'materials_missing', reason: expect.stringContaining('m-hukou') });
    expect(run(state, accept(['m-id', 'm-hukou', 'm-nosuch']))).toMatchObject({ ok: false, code: 'unknown_material' });
    expect(state.cases.k1?.status).toBe('submitted');

    expect(run(state, accept(['m-id', 'm-hukou'], { delivery: 'post' }))).toMatchObject({ ok: true, events: [] });
    // Monday 09:10 + 3 working days → Thursday, at the hall's closing time 17:30 (UTC+8).
    expect(state.cases.k1).toMatchObject({
      status: 'accepted',
      acceptedAt: at(10),
      acceptedByStaffId: 'clerk-1',
      dueAt: '2026-03-05T09:30:00.000Z',
      delivery: 'post',
      materials: [
        { materialId: 'm-id', received: true, pageCount: 1 },
        { materialId: 'm-hukou', received: true, pageCount: 1 },
      ],
    });
    expect(state.cases.k1).not.toHaveProperty('values');
    expect(run(state, accept(['m-id', 'm-hukou']))).toMatchObject({ ok: false, code: 'case_decided' });
    const refuse: AnyIntent = { type: 'refuseCase', payload: { caseId: 'k1', staffId: 'clerk-1', counterId: 'c1', reason: '材料不全', missingMaterialIds: ['m-id'], at: at(11) } };
    expect(run(state, refuse)).toMatchObject({ ok: false, code: 'case_decided' });
  });

  it('refuses a case with the reason and the missing materials of the one-time notice', () => {
    const state = servedHall();
    const refuse = (missing: string[]): AnyIntent => ({
      type: 'refuseCase',
      payload: { caseId: 'k1', staffId: 'clerk-1', counterId: 'c1', reason: '材料不全：居民户口簿', missingMaterialIds: missing, at: at(12) },
    });
    expect(run(state, refuse(['m-auth-x']))).toMatchObject({ ok: false, code: 'unknown_material' });
    expect(run(state, refuse(['m-hukou']))).toMatchObject({ ok: true });
    expect(state.cases.k1).toMatchObject({
      status: 'refused',
      refusalReason: '材料不全：居民户口簿',
      refusedByStaffId: 'clerk-1',
      materials: [
        { materialId: 'm-id', received: true },
        { materialId: 'm-hukou', received: false },
      ],
    });
    expect(state.cases.k1?.acceptedAt).toBeUndefined();
  });

  it('opens the case when the counter decides one nobody submitted, and refuses an unknown one without a service', () => {
    const state = servedHall();
    expect(run(state, accept(['m-id', 'm-hukou'], { caseId: 'k-new' }))).toMatchObject({ ok: false, code: 'unknown_case' });
    expect(run(state, accept(['m-id', 'm-hukou'], { caseId: 'k-new', serviceId: 'hz1', ticketId: 'nosuch', answers: selfAnswers }))).toMatchObject({
      ok: false,
      code: 'unknown_ticket',
    });
    expect(run(state, accept(['m-id', 'm-hukou'], { caseId: 'k-new', serviceId: 'hz1', ticketId: 't1', answers: selfAnswers }))).toMatchObject({ ok: true });
    expect(state.cases['k-new']).toMatchObject({ status: 'accepted', ticketId: 't1', serviceId: 'hz1', submittedAt: at(10), hallId: 'hall-test' });
    expect(run(state, accept(['m-id', 'm-hukou'], { serviceId: 'hz2' }))).toMatchObject({ ok: false, code: 'case_mismatch' });
  });

  it('chooses delivery for an accepted case only', () => {
    const state = servedHall();
    const choose: AnyIntent = { type: 'chooseDelivery', payload: { caseId: 'k1', staffId: 'clerk-1', delivery: 'locker', at: at(13) } };
    expect(run(state, choose)).toMatchObject({ ok: false, code: 'case_not_accepted' });
    run(state, accept(['m-id', 'm-hukou']));
    expect(run(state, choose)).toMatchObject({ ok: true });
    expect(state.cases.k1?.delivery).toBe('locker');
  });

  it('records one evaluation per finished ticket; a second is rejected', () => {
    const state = servedHall();
    const evaluate = (rating: string, defaulted: boolean): AnyIntent => {
      const parsed = parseIntent('recordEvaluation', { evaluationId: `e-${rating}`, ticketId: 't1', counterId: 'c1', staffId: 'clerk-1', rating, defaulted, at: at(30) });
      if (!parsed.ok) throw new Error(parsed.error);
      return parsed.intent;
    };
    expect(run(state, evaluate('satisfied', true))).toMatchObject({ ok: false, code: 'ticket_not_finished' });
    run(state, queueIntent({ type: 'finish', counterId: 'c1', ticketId: 't1' }, at(25), 'clerk-1'));
    expect(run(state, evaluate('satisfied', true))).toMatchObject({ ok: true });
    expect(state.queue.tickets.t1?.evaluatedAt).toBe(at(30));
    expect(run(state, evaluate('very_unsatisfied', false))).toMatchObject({ ok: false, code: 'duplicate_evaluation' });
    const unknown = parseIntent('recordEvaluation', { evaluationId: 'e-x', ticketId: 'nosuch', counterId: 'c1', staffId: 'clerk-1', rating: 'neutral', defaulted: false, at: at(31) });
    expect(unknown.ok && executeIntent(state, unknown.intent, ctx)).toMatchObject({ ok: false, code: 'unknown_ticket' });
  });

  it('names the bad field of an invalid payload and never echoes form values', () => {
    const bad = [
      ['recordEvaluation', { evaluationId: 'e', ticketId: 't1', counterId: 'c1', staffId: 'clerk-1', rating: 'great', defaulted: false, at: at(1) }, 'recordEvaluation.rating'],
      ['recordEvaluation', { evaluationId: 'e', ticketId: 't1', counterId: 'c1', staffId: 'clerk-1', rating: 'neutral', at: at(1) }, 'recordEvaluation.defaulted'],
      ['acceptCase', { caseId: 'k1', counterId: 'c1', received: [], at: at(1) }, 'acceptCase.staffId'],
      ['acceptCase', { caseId: 'k1', staffId: 's', counterId: 'c1', received: [], delivery: 'drone', at: at(1) }, 'acceptCase.delivery'],
      ['acceptCase', { caseId: 'k1', staffId: 's', counterId: 'c1', received: [], values: { idNumber: { secret: '110101' } }, at: at(1) }, 'acceptCase.values.idNumber'],
      ['refuseCase', { caseId: 'k1', staffId: 's', counterId: 'c1', reason: '缺', missingMaterialIds: [], at: at(1) }, 'refuseCase.missingMaterialIds'],
      ['refuseCase', { caseId: 'k1', staffId: 's', counterId: 'c1', reason: '  ', missingMaterialIds: ['m-id'], at: at(1) }, 'refuseCase.reason'],
      ['chooseDelivery', { caseId: 'k1', staffId: 's', delivery: 'post', at: 'yesterday' }, 'chooseDelivery.at'],
      ['callNext', { counterId: 'c1', staffId: 42, at: at(1) }, 'callNext.staffId'],
    ] as const;
    for (const [type, payload, where] of bad) {
      const parsed = parseIntent(type, payload);
      expect(parsed.ok, where).toBe(false);
      if (!parsed.ok) {
        expect(parsed.error.startsWith(where), parsed.error).toBe(true);
        expect(parsed.error).not.toContain('110101');
      }
    }
  });

  it('refuses case outcomes without the catalogue rather than guessing', () => {
    const state = servedHall();
    const result = executeIntent(state, accept(['m-id', 'm-hukou']), { setup: ctx.setup, rules: ctx.rules });
    expect(result).toMatchObject({ ok: false, code: 'no_catalogue' });
  });
});

describe('promised completion (承诺时限)', () => {
  it('counts working days after the acceptance day, skipping days the hall is closed', () => {
    // Friday 2026-03-06 15:00 local + 3 working days → Wednesday 2026-03-11 17:30 local.
    expect(promisedDueAt('2026-03-06T07:00:00.000Z', 3, hall)).toBe('2026-03-11T09:30:00.000Z');
    // 即办: the same day; accepted on a Saturday, 1 working day is the Monday.
    expect(promisedDueAt('2026-03-06T07:00:00.000Z', 0, hall)).toBe('2026-03-06T09:30:00.000Z');
    expect(promisedDueAt('2026-03-07T02:00:00.000Z', 1, hall)).toBe('2026-03-09T09:30:00.000Z');
    // The local day counts, not the UTC one: 07:30 local on Monday is still Sunday in UTC.
    expect(promisedDueAt('2026-03-08T23:30:00.000Z', 1, hall)).toBe('2026-03-10T09:30:00.000Z');
  });

  it('skips holidays and counts 调休 working weekends from the hall calendar, on the executor too', () => {
    const calendar = { holidays: ['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'], workdays: ['2026-09-27', '2026-10-10'] };
    // Wednesday 30 September 2026: 10-08, 10-09, then Saturday 10-10 (调休).
    expect(promisedDueAt('2026-09-30T02:00:00.000Z', 3, hall, calendar)).toBe('2026-10-10T09:30:00.000Z');
    expect(promisedDueAt('2026-09-30T02:00:00.000Z', 3, hall)).toBe('2026-10-05T09:30:00.000Z');
    // Friday 25 September + 1: Sunday 09-27 is worked.
    expect(promisedDueAt('2026-09-25T02:00:00.000Z', 1, hall, calendar)).toBe('2026-09-27T09:30:00.000Z');
    // A calendar that closes every day is an error, not an endless count.
    const everyDay = Array.from({ length: 800 }, (_, i) => new Date(Date.UTC(2026, 9, 1) + i * 86_400_000).toISOString().slice(0, 10));
    expect(() => promisedDueAt('2026-09-30T02:00:00.000Z', 1, hall, { holidays: everyDay, workdays: [] })).toThrow(/no working day/);

    const state = servedHall();
    const withCalendar: ExecuteContext = { ...ctx, catalogue: { hall, services: [service], calendar } };
    const accept: AnyIntent = {
      type: 'acceptCase',
      payload: { caseId: 'k1', staffId: 'clerk-1', counterId: 'c1', values: {}, received: [{ materialId: 'm-id', pageCount: 1 }, { materialId: 'm-hukou', pageCount: 1 }], at: '2026-09-30T02:00:00.000Z' },
    };
    const result = executeIntent(state, accept, withCalendar);
    expect(result.ok && result.changes[0]?.entity === 'case' && result.changes[0].data.dueAt).toBe('2026-10-10T09:30:00.000Z');
  });

  it('lets a clerk serve the counters the console assigned, or any when none are', () => {
    const catalogue = { clerkCounters: { 'clerk-1': ['c2'], 'clerk-2': [] } };
    expect(clerkMayServe(catalogue, 'clerk-1', 'c2')).toBe(true);
    expect(clerkMayServe(catalogue, 'clerk-1', 'c1')).toBe(false);
    expect(clerkMayServe(catalogue, 'clerk-2', 'c1')).toBe(true);
    expect(clerkMayServe(catalogue, 'clerk-3', 'c1')).toBe(true);
    expect(clerkMayServe({}, 'clerk-1', 'c1')).toBe(true);
  });
});
