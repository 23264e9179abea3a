import { describe, expect, it } from 'vitest';
import { deadlineLight } from './lights';
import { workingDaysBetween } from './workingDays';

const weekdays = { weekdays: [1, 2, 3, 4, 5] };

describe('working days and deadline lights', () => {
  it('counts working days in (a, b], skipping weekends and holidays, signed', () => {
    // 2026-03-06 is a Friday.
    expect(workingDaysBetween('2026-03-06', '2026-03-09', weekdays)).toBe(1);
    expect(workingDaysBetween('2026-03-06', '2026-03-11', weekdays)).toBe(3);
    expect(workingDaysBetween('2026-03-11', '2026-03-06', weekdays)).toBe(-3);
    expect(workingDaysBetween('2026-03-07', '2026-03-08', weekdays)).toBe(0);
    expect(workingDaysBetween('2026-03-06', '2026-03-11', { ...weekdays, holidays: new Set(['2026-03-10']) })).toBe(2);
    expect(() => workingDaysBetween('2026-13-45', '2026-03-01', weekdays)).toThrow(/not a day/);
  });

  it('is yellow on the due day, orange one working day over, red beyond, near the day before', () => {
    const light = (dueDay: string, referenceDay: string, open = true) => deadlineLight({ dueDay, referenceDay }, weekdays, open).light;
    expect(light('2026-03-11', '2026-03-11')).toBe('yellow');
    expect(light('2026-03-10', '2026-03-11')).toBe('orange');
    expect(light('2026-03-09', '2026-03-11')).toBe('red');
    expect(light('2026-03-12', '2026-03-11')).toBe('near');
    expect(light('2026-03-13', '2026-03-11')).toBeNull();
    // Due Friday, looked at on Monday: one working day over, not three calendar days.
    expect(light('2026-03-06', '2026-03-09')).toBe('orange');
    // Due Friday, looked at on Saturday: still its due day's light.
    expect(light('2026-03-06', '2026-03-07')).toBe('yellow');
    // A case completed on its due day is not late; one completed a day later is.
    expect(light('2026-03-11', '2026-03-11', false)).toBeNull();
    expect(light('2026-03-10', '2026-03-11', false)).toBe('orange');
    expect(light('2026-03-12', '2026-03-11', false)).toBeNull();
  });
});
