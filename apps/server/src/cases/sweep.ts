import type { FastifyBaseLogger } from 'fastify';
import { DEFAULT_CASE_RULES, openSupplement, type Case } from '@hall/shared';
import type { ServerContext } from '../context';
import { enqueueSms } from '../sms/outbox';
import { loadCatalogue } from '../sync/catalogue';
import { applyCentralStep } from './central';
import { casePhone, caseNumberOf } from './notify';
import { caseOfRow } from './store';

const SYSTEM = { kind: 'system', id: 'case-lifecycle' } as const;
const DAY_MS = 86_400_000;

export interface SweepResult {
  closed: number;
  reminded: number;
  returned: number;
}

/**
 * The system's own case steps, idempotent so any instance may run it any time: supplement
 * reminders before the deadline (one per request: the SMS key names it), closure of cases
 * whose deadline passed (with the blacklist entry, notify.ts), and return of results not
 * collected within the hall's period. Each closure/return is decided like any step, so a
 * supplement recorded at a counter a moment earlier wins.
 */
export async function sweepCases(ctx: ServerContext, log?: FastifyBaseLogger): Promise<SweepResult> {
  const now = ctx.clock();
  const result: SweepResult = { closed: 0, reminded: 0, returned: 0 };
  const rows = await ctx.db
    .selectFrom('cases')
    .select(['hall_id', 'data_json', 'stage', 'stage_due_at'])
    .where('stage', 'in', ['supplement', 'collection'])
    .where('stage_due_at', 'is not', null)
    .orderBy('stage_due_at')
    .execute();
  for (const row of rows) {
    const kase = caseOfRow(row);
    if (!kase || !row.stage_due_at) continue;
    const catalogue = await loadCatalogue(ctx.db, row.hall_id, now.getTime());
    const rules = catalogue.caseRules ?? DEFAULT_CASE_RULES;
    const due = Date.parse(row.stage_due_at);
    try {
      if (row.stage === 'supplement' && due <= now.getTime()) {
        const step = await applyCentralStep(ctx, row.hall_id, 'closeOverdueCase', { caseId: kase.id, at: now.toISOString() }, SYSTEM);
        if (step.ok) result.closed += 1;
      } else if (row.stage === 'supplement' && due - rules.supplementReminderDays * DAY_MS <= now.getTime()) {
        if (await remind(ctx, kase, catalogue, now)) result.reminded += 1;
      } else if (row.stage === 'collection' && due <= now.getTime()) {
        const step = await applyCentralStep(ctx, row.hall_id, 'returnResult', { caseId: kase.id, at: now.toISOString() }, SYSTEM);
        if (step.ok) result.returned += 1;
      }
    } catch (error) {
      // One broken case must not stop the others; the next sweep tries it again.
      log?.error({ caseId: kase.id, error: (error as Error).message }, 'case sweep step failed');
    }
  }
  return result;
}

async function remind(ctx: ServerContext, kase: Case, catalogue: Awaited<ReturnType<typeof loadCatalogue>>, now: Date): Promise<boolean> {
  const open = openSupplement(kase);
  if (!open) return false;
  const phone = await casePhone(ctx.db, ctx.dataKeys, catalogue, kase);
  if (!phone) return false;
  const dueDate = new Date(open.dueAt).toLocaleDateString('sv-SE', { timeZone: catalogue.hall.timeZone });
  return enqueueSms(ctx.db, ctx.dataKeys, { idempotencyKey: `case:${kase.id}:reminder:${open.id}`, hallId: kase.hallId, phone, template: 'case_supplement_reminder', params: { caseNumber: caseNumberOf(kase), dueDate } }, now);
}

/** Runs sweepCases every `intervalMs` in the server process; a failed run is logged and retried next time. */
export function startCaseSweep(ctx: ServerContext, intervalMs: number, log?: FastifyBaseLogger): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = sweepCases(ctx, log).catch((error: unknown) => log?.error({ error: (error as Error).message }, 'case sweep failed'));
  }, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
