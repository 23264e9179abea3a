import type { FastifyBaseLogger } from 'fastify';
import { RepeatingPass } from '../jobs/repeatingPass';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { RATING_LEVELS, type PlatformRating, type RatingPlatform } from './platform';

interface RatingOutboxTable {
  evaluation_id: string;
  hall_id: string;
  status: 'pending' | 'sending' | 'delivered' | 'failed';
  attempts: number;
  next_attempt_at: string;
  lease_until: string | null;
  last_error: string | null;
  platform_id: string | null;
  created_at: string;
  delivered_at: string | null;
}
export const ratingDb = (db: Kysely<Database>) => db.withTables<{ rating_outbox: RatingOutboxTable }>();

/**
 * Queues ratings for the platform in the caller's transaction (the one that records them); a
 * rating queued before is left alone. Due from the moment it was given: a rating a station
 * kept through an outage goes out at once.
 */
export async function enqueueRatings(db: Kysely<Database>, ratings: readonly { id: string; hall_id: string; at: string }[]): Promise<void> {
  if (ratings.length === 0) return;
  await ratingDb(db)
    .insertInto('rating_outbox')
    .values(ratings.map((r) => ({ evaluation_id: r.id, hall_id: r.hall_id, status: 'pending' as const, attempts: 0, next_attempt_at: r.at, lease_until: null, last_error: null, platform_id: null, created_at: r.at, delivered_at: null })))
    .onConflict((oc) => oc.column('evaluation_id').doNothing())
    .execute();
}

export interface RatingDispatchPolicy {
  maxAttempts: number;
  /** First retry delay; doubles per attempt up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A claimed row whose sender died is taken again after this. */
  leaseMs: number;
}

/** A platform away for a day still gets every rating: 16 attempts reach the hour cap after ~2 h and go on hourly. */
export const DEFAULT_RATING_DISPATCH: RatingDispatchPolicy = { maxAttempts: 40, baseDelayMs: 5000, maxDelayMs: 60 * 60_000, leaseMs: 60_000 };

/** The platform's message for one rating, read when it is sent (the case may have its number by then). */
async function platformRating(db: Kysely<Database>, evaluationId: string): Promise<PlatformRating | undefined> {
  const row = await db
    .selectFrom('evaluations as e')
    .leftJoin('tickets as t', 't.id', 'e.ticket_id')
    .leftJoin('cases as c', 'c.id', 'e.case_id')
    .leftJoin('counters as k', 'k.id', 'e.counter_id')
    .leftJoin('staff as s', 's.id', 'e.staff_id')
    .select(['e.id', 'e.hall_id', 'e.rating', 'e.defaulted', 'e.comment', 'e.at', 't.number as ticket_number', 't.service_ids_json', 't.citizen_masked_name as ticket_citizen'])
    .select(['c.number as case_number', 'c.service_id as case_service', 'c.citizen_masked_name as case_citizen', 'k.number as counter_number', 's.staff_number'])
    .where('e.id', '=', evaluationId)
    .executeTakeFirst();
  if (!row) return undefined;
  const serviceId = row.case_service ?? (row.service_ids_json ? (JSON.parse(row.service_ids_json) as string[])[0] : undefined);
  const service = serviceId ? await db.selectFrom('services').select(['code', 'name_zh']).where('id', '=', serviceId).executeTakeFirst() : undefined;
  return {
    evaluationId: row.id,
    hallId: row.hall_id,
    ticketNumber: row.ticket_number ?? '',
    caseNumber: row.case_number ?? null,
    serviceCode: service?.code ?? null,
    serviceName: service?.name_zh ?? null,
    counterNumber: row.counter_number ?? null,
    staffNumber: row.staff_number ?? null,
    applicantMasked: row.case_citizen ?? row.ticket_citizen ?? null,
    level: RATING_LEVELS[row.rating] ?? 3,
    rating: row.rating,
    defaulted: Number(row.defaulted) === 1,
    comment: row.comment,
    ratedAt: row.at,
  };
}

/**
 * Delivers due ratings to the city's 好差评 platform. A row is claimed (status "sending"
 * with a lease) before the platform hears of it: two instances never send one rating at
 * once, and a sender that died leaves the lease to expire; the resend carries the same
 * idempotency key (the evaluation id), so the platform keeps the rating once.
 */
export class RatingDispatcher extends RepeatingPass {
  protected readonly passFailure = 'rating delivery failed';

  constructor(
    private readonly db: Kysely<Database>,
    private readonly platform: RatingPlatform,
    private readonly clock: () => Date,
    protected readonly log?: FastifyBaseLogger,
    private readonly policy: RatingDispatchPolicy = DEFAULT_RATING_DISPATCH,
  ) {
    super();
  }

  protected async pass(): Promise<number> {
    const db = ratingDb(this.db);
    const now = this.clock();
    const iso = now.toISOString();
    const due = await db
      .selectFrom('rating_outbox')
      .selectAll()
      .where((eb) => eb.or([eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', iso)]), eb.and([eb('status', '=', 'sending'), eb('lease_until', '<', iso)])]))
      .orderBy('created_at')
      .limit(100)
      .execute();
    let delivered = 0;
    for (const row of due) {
      const attempts = row.attempts + 1;
      const claimed = await db
        .updateTable('rating_outbox')
        .set({ status: 'sending', lease_until: new Date(now.getTime() + this.policy.leaseMs).toISOString(), attempts })
        .where('evaluation_id', '=', row.evaluation_id)
        .where('attempts', '=', row.attempts)
        .where('status', 'in', ['pending', 'sending'])
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) continue; // another instance took it
      const rating = await platformRating(this.db, row.evaluation_id);
      const result = rating ? await this.platform.deliver(rating) : { ok: false as const, retry: false, error: 'the evaluation is gone' };
      if (result.ok) {
        delivered++;
        await db
          .updateTable('rating_outbox')
          .set({ status: 'delivered', delivered_at: this.clock().toISOString(), platform_id: result.platformId, lease_until: null, last_error: null })
          .where('evaluation_id', '=', row.evaluation_id)
          .execute();
        continue;
      }
      const giveUp = !result.retry || attempts >= this.policy.maxAttempts;
      const delay = Math.min(this.policy.maxDelayMs, this.policy.baseDelayMs * 2 ** (attempts - 1));
      await db
        .updateTable('rating_outbox')
        .set({ status: giveUp ? 'failed' : 'pending', last_error: result.error, lease_until: null, next_attempt_at: new Date(this.clock().getTime() + delay).toISOString() })
        .where('evaluation_id', '=', row.evaluation_id)
        .execute();
      this.log?.warn({ evaluation: row.evaluation_id, attempts, error: result.error, giveUp }, 'rating not delivered to the 好差评 platform');
    }
    return delivered;
  }
}

/** What the console shows of the outbox: counts per status and the oldest waiting rating. */
export async function ratingOutboxSummary(db: Kysely<Database>, hallId: string) {
  const rows = await ratingDb(db)
    .selectFrom('rating_outbox')
    .select(['status'])
    .select((eb) => [eb.fn.countAll<number | string>().as('n'), eb.fn.min('created_at').as('oldest')])
    .where('hall_id', '=', hallId)
    .groupBy('status')
    .execute();
  const count = (status: string) => Number(rows.find((r) => r.status === status)?.n ?? 0);
  const waiting = rows.filter((r) => r.status === 'pending' || r.status === 'sending').map((r) => r.oldest as string | null).filter((x): x is string => x !== null).sort()[0];
  return { pending: count('pending') + count('sending'), delivered: count('delivered'), failed: count('failed'), oldestWaiting: waiting ?? null };
}
