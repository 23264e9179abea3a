import { describe, expect, it } from 'vitest';
import { emptyActivity, indicatorValues } from './indicators';
import { parseEventCsv } from './eventCsv';
import { periodRange } from './periods';
import { punctuality } from './punctuality';
import { gradeOf, periodReport } from './report';
import { SchemeItemsSchema, scoreClerks } from './scoring';

const HOURS = { weekdays: [1, 2, 3, 4, 5], sessions: [{ from: '13:30', to: '17:30' }, { from: '09:00', to: '12:00' }] };

describe('appraisal scoring', () => {
  const a = { ...emptyActivity('a'), casesAccepted: 8, casesRefused: 2, acceptedDenied: 2, acceptedCompleted: 4, ratingsGood: 3, ratingsBad: 1, daysSignedIn: 4, daysOnTime: 3 };
  const b = { ...emptyActivity('b'), casesAccepted: 5 };

  it('derives rates from activity, and null where there was nothing to measure', () => {
    expect(indicatorValues(a)).toMatchObject({ cases_handled: 10, accuracy: 0.75, completion: 0.5, satisfaction: 0.75, punctuality: 0.75 });
    expect(indicatorValues(b)).toMatchObject({ punctuality: null, satisfaction: null, accuracy: 1 });
  });

  it('weighs indicators by their rules, adds event points and ranks with shared places', () => {
    const items = SchemeItemsSchema.parse([
      { indicator: 'cases_handled', weight: 40, rule: 'relative' },
      { indicator: 'satisfaction', weight: 30, rule: 'rate' },
      { indicator: 'accuracy', weight: 30, rule: 'rate' },
    ]);
    const [first, second, third] = scoreClerks(items, [b, a, { ...emptyActivity('c'), casesAccepted: 5 }], [{ staffId: 'a', points: 2 }, { staffId: 'a', points: -1 }]);
    expect(first).toMatchObject({ staffId: 'a', scores: { cases_handled: 40, satisfaction: 22.5, accuracy: 22.5 }, eventPoints: 1, total: 86, rank: 1 });
    // 5/10 of the best's cases, accuracy 1, no rating: 20 + 30.
    expect(second).toMatchObject({ staffId: 'b', total: 50, rank: 2 });
    expect(third).toMatchObject({ staffId: 'c', total: 50, rank: 2 });
  });

  it('scores a count against a target, capped at the weight', () => {
    const items = SchemeItemsSchema.parse([{ indicator: 'cases_handled', weight: 50, rule: 'target', target: 8 }]);
    expect(scoreClerks(items, [a, b], []).map((s) => s.total)).toEqual([50, 31.25]);
  });

  it('refuses a scheme whose rule does not fit its indicator, or that names an indicator twice', () => {
    expect(SchemeItemsSchema.safeParse([{ indicator: 'calls', weight: 10, rule: 'rate' }]).success).toBe(false);
    expect(SchemeItemsSchema.safeParse([{ indicator: 'satisfaction', weight: 10, rule: 'relative' }]).success).toBe(false);
    expect(SchemeItemsSchema.safeParse([{ indicator: 'calls', weight: 10, rule: 'target' }]).success).toBe(false);
    expect(SchemeItemsSchema.safeParse([{ indicator: 'calls', weight: 10, rule: 'relative' }, { indicator: 'calls', weight: 5, rule: 'relative' }]).success).toBe(false);
  });
});

describe('punctuality and periods', () => {
  it('counts the first counter sign-in of each open day against the first session, with grace', () => {
    const signIns = [
      '2026-03-02T01:04:00Z', // Monday 09:04: on time (5 minutes' grace)
      '2026-03-02T05:40:00Z', // the same day's afternoon sign-in changes nothing
      '2026-03-03T01:20:00Z', // Tuesday 09:20: late
      '2026-03-07T02:00:00Z', // Saturday: the hall is closed, not counted
    ];
    expect(punctuality(signIns, HOURS)).toEqual({ daysSignedIn: 2, daysOnTime: 1 });
  });

  it('bounds a month and a year in hall time', () => {
    expect(periodRange('2026-03')).toEqual({ kind: 'month', from: '2026-02-28T16:00:00.000Z', to: '2026-03-31T16:00:00.000Z' });
    expect(periodRange('2026-12').to).toBe('2026-12-31T16:00:00.000Z');
    expect(periodRange('2026')).toEqual({ kind: 'year', from: '2025-12-31T16:00:00.000Z', to: '2026-12-31T16:00:00.000Z' });
  });
});

describe('the month/year report', () => {
  it('averages published results, sums event points and shares grades', () => {
    const r = (staffId: string, total: number, rank: number) => ({ staffId, name: staffId, staffNumber: staffId, total, rank, fullMarks: 100 });
    const report = periodReport([r('a', 95, 1), r('b', 70, 2), r('a', 85, 1), r('b', 50, 2)], [
      { staffId: 'a', kind: 'bonus', points: 2 },
      { staffId: 'b', kind: 'penalty', points: 1.5 },
    ]);
    expect(report.rows).toMatchObject([
      { staffId: 'a', appraisals: 2, averageScore: 90, grade: 'excellent', bonusPoints: 2, rank: 1 },
      { staffId: 'b', averageScore: 60, grade: 'pass', penaltyPoints: 1.5, rank: 2 },
    ]);
    expect(report.grades).toEqual({ excellent: 1, good: 0, pass: 1, improve: 0 });
    expect(gradeOf(74.9, 100)).toBe('pass');
  });
});

describe('the event sheet', () => {
  const header = '工号,日期,类型,分值,理由,计入考评';
  it('reads the template’s columns, quoted reasons included', () => {
    expect(parseEventCsv(`\uFEFF${header}\r\nT002,2026-03-05,扣分,1.5,"迟到,未请假",否\r\n`)).toEqual({
      ok: true,
      events: [{ staffNumber: 'T002', day: '2026-03-05', kind: 'penalty', points: 1.5, reason: '迟到,未请假', counts: false }],
    });
  });
  it('names every bad line and keeps none', () => {
    const parsed = parseEventCsv(`${header}\nT002,2026-03-05,加分,2,表扬,是\nT003,5 March,奖励,-1,x,也许`);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problems).toEqual([expect.stringMatching(/^line 3: 日期 .*; 类型 .*; 分值 .*; 理由 .*; 计入考评 /)]);
    expect(parseEventCsv('a,b\nT1')).toMatchObject({ ok: false });
  });
});
