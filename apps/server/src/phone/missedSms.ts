import type { ServerContext } from '../context';
import { sealContext } from '../secrets/atRest';
import { enqueueSms } from '../sms/outbox';
import { loadCatalogue } from '../sync/catalogue';
import { PokedHallScan } from './pokedScan';

const APPOINTMENT_PHONE = { table: 'appointments', column: 'citizen_phone' } as const;
/** Catches misses whose poke this instance never heard (a restart, another instance's relay hiccup). */
const SWEEP_MS = 60_000;

/**
 * 过号 SMS (seed 001: 过10分钟会再次叫号，并且会再次发送短信提醒): when a ticket whose citizen
 * left a phone with the booking is marked missed, the citizen is told the window and the
 * minutes left to come back. Driven by the hub's sync pokes and a sweep; the outbox's
 * idempotency key (ticket and the moment of the miss) sends each miss once, whichever
 * instance or sweep sees it first.
 */
export class MissedTicketSms {
  readonly #job: PokedHallScan;

  constructor(
    private readonly ctx: Pick<ServerContext, 'db' | 'clock' | 'hub' | 'dataKeys'>,
    options: { sweep?: boolean } = {},
  ) {
    this.#job = new PokedHallScan(ctx.hub, (hallId) => this.#scanNow(hallId), options.sweep === false ? undefined : SWEEP_MS);
  }

  close(): void {
    this.#job.close();
  }

  /** Queues the SMS for recent misses of one hall (or all); returns how many were new. Scans of one hall never overlap. */
  scan(hallId?: string): Promise<number> {
    return this.#job.scan(hallId);
  }

  async #scanNow(hallId: string | undefined): Promise<number> {
    const now = this.ctx.clock();
    let query = this.ctx.db
      .selectFrom('tickets')
      .innerJoin('appointments', 'appointments.id', 'tickets.appointment_id')
      .select(['tickets.id', 'tickets.hall_id', 'tickets.number', 'tickets.counter_id', 'tickets.missed_at', 'appointments.id as appointment_id', 'appointments.citizen_phone'])
      .where('tickets.status', '=', 'missed')
      .where('appointments.citizen_phone', 'is not', null)
      // No rule lets a ticket be re-called after 8 hours (CallingRules.missedRecallWindowMinutes ≤ 480).
      .where('tickets.missed_at', '>', new Date(now.getTime() - 8 * 3600_000).toISOString());
    if (hallId) query = query.where('tickets.hall_id', '=', hallId);
    let queued = 0;
    for (const row of await query.execute()) {
      const catalogue = await loadCatalogue(this.ctx.db, row.hall_id);
      const missedAt = Date.parse(row.missed_at!);
      const minutesLeft = Math.floor((missedAt + catalogue.callingRules.missedRecallWindowMinutes * 60_000 - now.getTime()) / 60_000);
      // Past its window the ticket cannot be called again: a message would only mislead.
      if (minutesLeft < 1) continue;
      const counterNumber = catalogue.counters.find((c) => c.id === row.counter_id)?.number;
      if (!counterNumber) continue;
      const phone = this.ctx.dataKeys.open(row.citizen_phone!, sealContext(APPOINTMENT_PHONE, row.appointment_id));
      const sent = await enqueueSms(
        this.ctx.db,
        this.ctx.dataKeys,
        { idempotencyKey: `ticket:${row.id}:missed:${row.missed_at}`, hallId: row.hall_id, phone, template: 'ticket_missed', params: { number: row.number, counterNumber, minutes: String(minutesLeft) } },
        now,
      );
      if (sent) queued += 1;
    }
    return queued;
  }
}
