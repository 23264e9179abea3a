import type { LocalDate, LocalTime, Timestamp } from '../domain/common';

/** The engine never reads the clock: callers pass the instant as an ISO string or epoch ms. */
export type Instant = Timestamp | number;

export function toEpochMs(instant: Instant): number {
  const ms = typeof instant === 'number' ? instant : Date.parse(instant);
  if (!Number.isFinite(ms)) throw new RangeError(`not a valid instant: ${String(instant)}`);
  return ms;
}

/** The canonical form the engine writes into tickets and events. */
export function toTimestamp(instant: Instant): Timestamp {
  return new Date(toEpochMs(instant)).toISOString();
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClock(ms: number, timeZone: string): WallClock {
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(ms))) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  return {
    year: fields.year ?? 0,
    month: fields.month ?? 0,
    day: fields.day ?? 0,
    hour: fields.hour ?? 0,
    minute: fields.minute ?? 0,
    second: fields.second ?? 0,
  };
}

/** Hall-local calendar day of an instant: ticket numbers reset when it changes. */
export function localDay(instant: Instant, timeZone: string): LocalDate {
  const ms = toEpochMs(instant);
  const known = dayRanges.get(timeZone);
  if (known && known.from <= ms && ms < known.to) return known.day;
  const day = computeLocalDay(ms, timeZone);
  rememberDay(day, timeZone);
  return day;
}

function computeLocalDay(ms: number, timeZone: string): LocalDate {
  const c = wallClock(ms, timeZone);
  return `${String(c.year).padStart(4, '0')}-${String(c.month).padStart(2, '0')}-${String(c.day).padStart(2, '0')}`;
}

/**
 * The last hall-day seen per time zone, as the instants it spans: a push or a catch-up asks
 * for the day of thousands of instants of the same day, and Intl's formatToParts is the
 * costly part. Kept only when both ends check out exactly (a zone whose midnight is skipped
 * by a DST change, or an odd offset, just goes uncached).
 */
const dayRanges = new Map<string, { day: LocalDate; from: number; to: number }>();

function rememberDay(day: LocalDate, timeZone: string): void {
  const from = zonedInstant(day, '00:00', timeZone);
  const to = zonedInstant(shiftLocalDay(day, 1), '00:00', timeZone);
  const exact =
    computeLocalDay(from, timeZone) === day &&
    computeLocalDay(from - 1, timeZone) !== day &&
    computeLocalDay(to - 1, timeZone) === day &&
    computeLocalDay(to, timeZone) !== day;
  if (exact) dayRanges.set(timeZone, { day, from, to });
}

/** `day` moved by `delta` calendar days (date arithmetic only: no time zone is involved). */
export function shiftLocalDay(day: LocalDate, delta: number): LocalDate {
  return new Date(Date.parse(`${day}T00:00:00Z`) + delta * 86_400_000).toISOString().slice(0, 10);
}

/** "2026-03-02 09:05" on the hall's wall clock, as slips and screens print it. */
export function localDateTime(instant: Instant, timeZone: string): string {
  const c = wallClock(toEpochMs(instant), timeZone);
  return `${localDay(instant, timeZone)} ${String(c.hour).padStart(2, '0')}:${String(c.minute).padStart(2, '0')}`;
}

/** The instant at which the hall's wall clock shows `day` `time`. */
export function zonedInstant(day: LocalDate, time: LocalTime, timeZone: string): number {
  const [y, mo, d] = day.split('-').map(Number) as [number, number, number];
  const [h, mi] = time.split(':').map(Number) as [number, number];
  const asUtc = Date.UTC(y, mo - 1, d, h, mi);
  // Two passes settle the offset even when the first guess straddles a DST change.
  let ms = asUtc;
  for (let i = 0; i < 2; i++) {
    const c = wallClock(ms, timeZone);
    const shown = Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute, c.second);
    ms += asUtc - shown;
  }
  return ms;
}
