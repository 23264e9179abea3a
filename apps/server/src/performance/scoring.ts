import { z } from 'zod';
import type { ClerkScore, SchemeItem, ScoringRule } from '@hall/shared';
import { IndicatorSchema, indicatorValues, RATE_INDICATORS, type ClerkActivity, type Indicator } from './indicators';

/**
 * 考评方案 and 考评数据处理 (seed 001 §8.2–8.6): a scheme weighs indicators, each with a
 * scoring rule; bonus and penalty events add or take points; clerks are ranked by the total.
 * Pure, so the same figures come out of every run over the same activity.
 */
export const ScoringRuleSchema: z.ZodType<ScoringRule> = z.enum([
  // A share of the weight in proportion to the best clerk of the period (counts).
  'relative',
  // The full weight at `target` or above, in proportion below it (counts).
  'target',
  // The weight times the rate (rates, 0..1).
  'rate',
]);

export const SchemeItemSchema = z
  .object({
    indicator: IndicatorSchema,
    weight: z.number().positive().max(1000),
    rule: ScoringRuleSchema,
    target: z.number().positive().max(1_000_000).optional(),
  })
  .strict()
  .superRefine((item, ctx) => {
    if (item.rule === 'target' && item.target === undefined) ctx.addIssue({ code: 'custom', path: ['target'], message: 'a target rule needs a target' });
    if (item.rule === 'rate' && !RATE_INDICATORS.has(item.indicator)) ctx.addIssue({ code: 'custom', path: ['rule'], message: `${item.indicator} is a count; score it relative to the best or against a target` });
    if (item.rule !== 'rate' && RATE_INDICATORS.has(item.indicator)) ctx.addIssue({ code: 'custom', path: ['rule'], message: `${item.indicator} is a rate; score it with the rate rule` });
  }) satisfies z.ZodType<SchemeItem>;

export const SchemeItemsSchema = z
  .array(SchemeItemSchema)
  .min(1)
  .max(20)
  .refine((items) => new Set(items.map((i) => i.indicator)).size === items.length, { message: 'each indicator at most once in a scheme' });

/** Points of the events that count (事件分数可影响考评结果), bonuses positive, penalties negative. */
export interface EventPoints {
  staffId: string;
  points: number;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

export function itemScore(item: SchemeItem, value: number | null, best: number): number {
  // Nothing to measure (no case, no rating) earns nothing rather than a guess.
  if (value === null) return 0;
  switch (item.rule) {
    case 'rate':
      return item.weight * Math.min(1, Math.max(0, value));
    case 'target':
      return item.weight * Math.min(1, value / item.target!);
    case 'relative':
      return best > 0 ? (item.weight * value) / best : 0;
  }
}

export function scoreClerks(items: readonly SchemeItem[], activities: readonly ClerkActivity[], events: readonly EventPoints[]): ClerkScore[] {
  const values = activities.map((a) => ({ staffId: a.staffId, values: indicatorValues(a) }));
  const best = new Map(items.map((item) => [item.indicator, Math.max(0, ...values.map((v) => v.values[item.indicator] ?? 0))]));
  const pointsOf = new Map<string, number>();
  for (const e of events) pointsOf.set(e.staffId, (pointsOf.get(e.staffId) ?? 0) + e.points);
  const scored = values.map(({ staffId, values: v }) => {
    const scores: Partial<Record<Indicator, number>> = {};
    for (const item of items) scores[item.indicator] = round2(itemScore(item, v[item.indicator], best.get(item.indicator)!));
    const eventPoints = round2(pointsOf.get(staffId) ?? 0);
    const total = round2(Object.values(scores).reduce((s, n) => s + n, 0) + eventPoints);
    return { staffId, values: v, scores, eventPoints, total, rank: 0 };
  });
  scored.sort((a, b) => b.total - a.total || a.staffId.localeCompare(b.staffId));
  scored.forEach((s, i) => {
    const previous = scored[i - 1];
    s.rank = previous && previous.total === s.total ? previous.rank : i + 1;
  });
  return scored;
}
