import { describe, expect, it } from 'vitest';
import { localDateTime, localDay, toEpochMs, toTimestamp, zonedInstant } from './clock';

describe('hall clock', () => {
  it('gives the hall-local day, which changes at local midnight', () => {
    expect(localDay('2026-03-01T15:59:59Z', 'Asia/Shanghai')).toBe('2026-03-01');
    expect(localDay('2026-03-01T16:00:00Z', 'Asia/Shanghai')).toBe('2026-03-02');
    expect(localDay(Date.UTC(2026, 2, 1, 23), 'America/New_York')).toBe('2026-03-01');
    expect(localDateTime('2026-03-01T16:05:00Z', 'Asia/Shanghai')).toBe('2026-03-02 00:05');
  });

  it('gives the same day as the wall clock for every instant, however calls jump between days and zones', () => {
    const byIntl = (ms: number, timeZone: string) =>
      new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(ms));
    // Around New York's spring and autumn DST changes, Chatham's 45-minute offset and Shanghai's midnight.
    const starts = [Date.UTC(2026, 2, 7, 12), Date.UTC(2026, 9, 31, 12), Date.UTC(2026, 3, 1), Date.UTC(2026, 2, 1, 12)];
    const zones = ['America/New_York', 'Pacific/Chatham', 'Asia/Shanghai', 'Europe/Berlin'];
    for (const start of starts) {
      for (let ms = start; ms < start + 2 * 86_400_000; ms += 7 * 60_000 + 13_000) {
        for (const zone of zones) expect(localDay(ms, zone)).toBe(byIntl(ms, zone));
      }
      // Backwards too: a cached day never answers for the instant just before it.
      for (let ms = start + 2 * 86_400_000; ms > start; ms -= 11 * 60_000 + 7_000) expect(localDay(ms, 'America/New_York')).toBe(byIntl(ms, 'America/New_York'));
    }
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
