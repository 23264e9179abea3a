import type { Kysely } from 'kysely';
import type { OpeningHours } from '@hall/shared';
import { shiftLocalDay, zonedInstant } from '@hall/shared';
import type { Database } from '../../db/schema';
import { activityTables } from './activity';

/**
 * 暂停服务统计 and 延时服务统计 per counter, from what counters already sync: their pause,
 * resume, open and close commands (counter_activity) and the calls and services on their
 * tickets, against the hall's opening hours.
 */
export interface CounterHours {
  counterId: string;
  pauses: number;
  pausedSeconds: number;
  /** Paused seconds by the reason the clerk chose (暂停原因). */
  pausedByReason: Record<string, number>;
  /** Calls made after the hall closed that day, or on a day it is closed. */
  lateCalls: number;
  /** Tickets served (finished) past closing. */
  lateServed: number;
  /** Service time past closing (延时服务时长). */
  extendedSeconds: number;
}

/** When the hall closes on a day (end of its last session), or undefined on a closed day. */
export function closingTime(hours: OpeningHours, day: string, timeZone: string): number | undefined {
  const weekday = ((new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
  if (!hours.weekdays.includes(weekday)) return undefined;
  const last = [...hours.sessions].sort((a, b) => a.to.localeCompare(b.to)).at(-1);
  return last ? zonedInstant(day, last.to, timeZone) : undefined;
}

interface Event {
  counterId: string;
  kind: string;
  reason: string | null;
  day: string;
  at: number;
}

/** Pause intervals: a pause ends at the counter's next resume, open or close, else at the end of its day (or now). */
function pauseIntervals(events: readonly Event[], timeZone: string, now: number): { counterId: string; reason: string; seconds: number }[] {
  const out: { counterId: string; reason: string; seconds: number }[] = [];
  const open = new Map<string, Event>();
  const end = (pause: Event, at: number) => out.push({ counterId: pause.counterId, reason: pause.reason ?? '', seconds: Math.max(0, Math.round((at - pause.at) / 1000)) });
  for (const e of events) {
    const pause = open.get(e.counterId);
    if (pause && (pause.day !== e.day || e.kind !== 'pause')) {
      end(pause, pause.day === e.day ? e.at : Math.min(now, zonedInstant(shiftLocalDay(pause.day, 1), '00:00', timeZone)));
      open.delete(e.counterId);
    }
    // A second pause while paused (a changed reason) keeps the first start.
    if (e.kind === 'pause' && !open.has(e.counterId)) open.set(e.counterId, e);
  }
  for (const pause of open.values()) end(pause, Math.min(now, zonedInstant(shiftLocalDay(pause.day, 1), '00:00', timeZone)));
  return out;
}

export async function counterHours(
  db: Kysely<Database>,
  hall: { id: string; timeZone: string; openingHours: OpeningHours },
  from: string,
  to: string,
  now: Date,
): Promise<CounterHours[]> {
  const byCounter = new Map<string, CounterHours>();
  const row = (counterId: string) => {
    let r = byCounter.get(counterId);
    if (!r) {
      r = { counterId, pauses: 0, pausedSeconds: 0, pausedByReason: {}, lateCalls: 0, lateServed: 0, extendedSeconds: 0 };
      byCounter.set(counterId, r);
    }
    return r;
  };
  const counters = await db.selectFrom('counters').select('id').where('hall_id', '=', hall.id).orderBy('number').execute();
  for (const c of counters) row(c.id);

  const activity = await activityTables(db)
    .selectFrom('counter_activity')
    .select(['counter_id', 'kind', 'reason', 'day', 'at'])
    .where('hall_id', '=', hall.id)
    .where('day', '>=', from)
    .where('day', '<=', to)
    .orderBy('at')
    .orderBy('id')
    .execute();
  const events = activity.map((a) => ({ counterId: a.counter_id, kind: a.kind, reason: a.reason, day: a.day, at: Date.parse(a.at) }));
  for (const p of pauseIntervals(events, hall.timeZone, now.getTime())) {
    const r = row(p.counterId);
    r.pauses += 1;
    r.pausedSeconds += p.seconds;
    r.pausedByReason[p.reason] = (r.pausedByReason[p.reason] ?? 0) + p.seconds;
  }

  const tickets = await db
    .selectFrom('tickets')
    .select(['counter_id', 'day', 'called_at', 'serving_started_at', 'finished_at', 'status'])
    .where('hall_id', '=', hall.id)
    .where('day', '>=', from)
    .where('day', '<=', to)
    .where('counter_id', 'is not', null)
    .where('called_at', 'is not', null)
    .execute();
  const closing = new Map<string, number | undefined>();
  for (const t of tickets) {
    if (!closing.has(t.day)) closing.set(t.day, closingTime(hall.openingHours, t.day, hall.timeZone));
    // A closed day's whole service is extended: it starts at midnight.
    const closes = closing.get(t.day) ?? zonedInstant(t.day, '00:00', hall.timeZone);
    const r = row(t.counter_id ?? '');
    if (t.called_at && Date.parse(t.called_at) > closes) r.lateCalls += 1;
    if (t.status === 'finished' && t.finished_at && Date.parse(t.finished_at) > closes) {
      r.lateServed += 1;
      const started = t.serving_started_at ? Date.parse(t.serving_started_at) : Date.parse(t.called_at ?? t.finished_at);
      r.extendedSeconds += Math.round((Date.parse(t.finished_at) - Math.max(started, closes)) / 1000);
    }
  }
  return [...byCounter.values()];
}
