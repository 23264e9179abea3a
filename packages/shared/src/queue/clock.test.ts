import { describe, expect, it } from 'vitest';
import { localDateTime, localDay, toEpochMs, toTimestamp, zonedInstant } from './clock';

describe('hall clock', () => {
  it('gives the hall-local day, which changes at local midnight', () => {
    expect(localDay('2026-03-01T15:59:59Z', 'Asia/Shanghai')).toBe('2026-03-01');
    expect(localDay('2026-03-01T16:00:00Z', 'Asia/Shanghai')).toBe('2026-03-02');
    expect(localDay(Date.UTC(2026, 2, 1, 23), 'America/New_York')).toBe('2026-03-01');
    expect(localDateTime('2026-03-01T16:05:00Z', 'Asia/Shanghai')).toBe('2026-03-02 00:05');
  });

  it('finds the instant a local wall time happens, across offsets and DST', () => {
    expect(toTimestamp(zonedInstant('2026-03-02', '09:30', 'Asia/Shanghai'))).toBe('2026-03-02T01:30:00.000Z');
    expect(toTimestamp(zonedInstant('2026-07-01', '09:30', 'Europe/Berlin'))).toBe('2026-07-01T07:30:00.000Z');
    expect(toTimestamp(zonedInstant('2026-01-01', '09:30', 'Europe/Berlin'))).toBe('2026-01-01T08:30:00.000Z');
  });

  it('accepts ISO strings with offsets and epoch ms, and refuses garbage', () => {
    expect(toEpochMs('2026-03-02T09:00:00+08:00')).toBe(Date.UTC(2026, 2, 2, 1));
    expect(toEpochMs(5)).toBe(5);
    expect(() => toEpochMs('yesterday')).toThrow(RangeError);
  });
});
