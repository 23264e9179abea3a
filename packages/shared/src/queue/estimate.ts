import type { Ticket } from '../domain/index';
import { localDay, toEpochMs } from './clock';
import { compareByQueuedAt } from './ordering';
import type { QueueContext } from './setup';
import type { QueueState } from './state';
import { counterRuntime } from './state';

export interface WaitEstimate {
  /** Tickets of the queue that will be called before this one (first come first served view). */
  ahead: number;
  /** Counters open or serving that call this queue. */
  openCounters: number;
  /** Mean service time of the queue's latest finished tickets; undefined without any. */
  averageServiceSeconds?: number;
  /** ahead × average ÷ open counters; undefined when no counter is open or nothing is known yet. */
  waitSeconds?: number;
}

/** Service seconds of the queue's `sampleSize` most recently finished tickets, newest first. */
export function recentServiceSeconds(state: QueueState, queueId: string, sampleSize: number): number[] {
  const finished = Object.values(state.tickets).filter(
    (t): t is Ticket & { servingStartedAt: string; finishedAt: string } =>
      t.queueId === queueId && t.status === 'finished' && t.servingStartedAt !== undefined && t.finishedAt !== undefined,
  );
  finished.sort((a, b) => toEpochMs(b.finishedAt) - toEpochMs(a.finishedAt));
  return finished
    .slice(0, sampleSize)
    .map((t) => Math.max(0, (toEpochMs(t.finishedAt) - toEpochMs(t.servingStartedAt)) / 1000));
}

/**
 * Estimated wait for a queue: for a given ticket, counting those queued before it; for a
 * ticket about to be issued (no ticketId), counting everyone waiting. Priority tickets
 * arriving later can still overtake, so this is an estimate shown as such.
 */
export function estimateWait(state: QueueState, queueId: string, ctx: QueueContext, ticketId?: string): WaitEstimate {
  const today = localDay(ctx.now, ctx.setup.timeZone);
  const own = ticketId === undefined ? undefined : state.tickets[ticketId];
  let ahead = 0;
  for (const t of Object.values(state.tickets)) {
    if (t.queueId !== queueId || t.status !== 'waiting' || t.day !== today || t.id === ticketId) continue;
    if (own === undefined || compareByQueuedAt(t, own) < 0) ahead++;
  }
  const openCounters = ctx.setup.counters.filter((c) => {
    const status = counterRuntime(state, c.id).state.status;
    return c.queueIds.includes(queueId) && (status === 'open' || status === 'serving');
  }).length;
  const samples = recentServiceSeconds(state, queueId, ctx.rules.waitEstimateSampleSize);
  if (samples.length === 0) return { ahead, openCounters };
  const averageServiceSeconds = samples.reduce((sum, s) => sum + s, 0) / samples.length;
  if (openCounters === 0) return { ahead, openCounters, averageServiceSeconds };
  return { ahead, openCounters, averageServiceSeconds, waitSeconds: (ahead * averageServiceSeconds) / openCounters };
}
