import { describe, expect, it } from 'vitest';
import { periodKeys, previousPeriodStart, slope, trendKey } from './trends';
import { closingTime } from './hours';

describe('trend periods', () => {
  it('names half-years and steps through them', () => {
    expect(trendKey('half', '2026-06-30')).toBe('2026-H1');
    expect(trendKey('half', '2026-07-01')).toBe('2026-H2');
    expect(trendKey('quarter', '2026-12-31')).toBe('2026-Q4');
    expect(periodKeys('half', '2025-05-10', '2026-08-01')).toEqual(['2025-H1', '2025-H2', '2026-H1', '2026-H2']);
    expect(periodKeys('month', '2026-01-31', '2026-03-01')).toEqual(['2026-01', '2026-02', '2026-03']);
    expect(previousPeriodStart('half', '2026-03-15')).toBe('2025-07-01');
    expect(previousPeriodStart('year', '2026-03-15')).toBe('2025-01-01');
  });

  it('reads the direction of a series', () => {
    expect(slope([1, 2, 3])).toBe(1);
    expect(slope([5])).toBe(0);
    expect(slope([3, 3, 3])).toBe(0);
  });

  it('closes at the end of the last session, and not at all on a closed weekday', () => {
    const hours = { weekdays: [1, 2, 3, 4, 5], sessions: [{ from: '13:30', to: '17:30' }, { from: '09:00', to: '12:00' }] };
    expect(new Date(closingTime(hours, '2026-03-02', 'Asia/Shanghai')!).toISOString()).toBe('2026-03-02T09:30:00.000Z');
    expect(closingTime(hours, '2026-03-07', 'Asia/Shanghai')).toBeUndefined();
  });
});
