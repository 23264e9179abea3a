import { describe, expect, it } from 'vitest';
import { addDays, DEFAULT_NO_SHOW_RULE, noShowsInWindow, ruleBars } from './rule';

describe('the no-show rule', () => {
  it('counts only no-shows inside the window ending today', () => {
    const rule = { noShows: 3, windowDays: 30, barDays: 30 };
    expect(noShowsInWindow(rule, ['2026-02-02', '2026-02-03', '2026-03-03', '2026-03-04'], '2026-03-03')).toBe(3);
    expect(noShowsInWindow(rule, ['2026-02-01'], '2026-03-03')).toBe(0);
  });

  it('bars on the Nth no-show within M days for P days, today included', () => {
    expect(ruleBars(DEFAULT_NO_SHOW_RULE, ['2026-03-01', '2026-03-10'], '2026-03-10')).toBeUndefined();
    expect(ruleBars(DEFAULT_NO_SHOW_RULE, ['2026-03-01', '2026-03-05', '2026-03-10'], '2026-03-10')).toEqual({ until: '2026-04-08' });
    expect(ruleBars({ noShows: 1, windowDays: 1, barDays: 1 }, ['2026-03-10'], '2026-03-10')).toEqual({ until: '2026-03-10' });
  });

  it('does not bar when the earlier no-shows fell out of the window', () => {
    expect(ruleBars(DEFAULT_NO_SHOW_RULE, ['2026-01-01', '2026-03-05', '2026-03-10'], '2026-03-10')).toBeUndefined();
  });

  it('is off when the count is 0', () => {
    expect(ruleBars({ noShows: 0, windowDays: 30, barDays: 30 }, Array(10).fill('2026-03-10'), '2026-03-10')).toBeUndefined();
  });

  it('adds calendar days across month and year ends', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
  });
});
