import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { bookingDb } from './tables';

/** The pseudo-slot whose seats count a service's bookings of one day (BookingSettings.maxPerDay). */
export const DAY_POOL = 'day';

/**
 * Takes the lowest free seat of a pool for the appointment, or returns false when every seat
 * is taken. A racing booking that inserted the same seat first makes the insert do nothing
 * (PostgreSQL waits for it to commit); the free seats are then read again.
 */
export async function takeSeat(
  trx: Kysely<Database>,
  pool: { serviceId: string; date: string; slotFrom: string; capacity: number },
  appointmentId: string,
): Promise<boolean> {
  const db = bookingDb(trx);
  for (let round = 0; round < pool.capacity; round++) {
    const taken = await db
      .selectFrom('booking_seats')
      .select('seat')
      .where('service_id', '=', pool.serviceId)
      .where('date', '=', pool.date)
      .where('slot_from', '=', pool.slotFrom)
      .execute();
    const used = new Set(taken.map((r) => Number(r.seat)));
    let free = 0;
    for (let seat = 1; seat <= pool.capacity; seat++) {
      if (!used.has(seat)) {
        free = seat;
        break;
      }
    }
    if (free === 0) return false;
    const inserted = await db
      .insertInto('booking_seats')
      .values({ service_id: pool.serviceId, date: pool.date, slot_from: pool.slotFrom, seat: free, appointment_id: appointmentId })
      .onConflict((oc) => oc.columns(['service_id', 'date', 'slot_from', 'seat']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) return true;
  }
  return false;
}

export async function releaseSeats(trx: Kysely<Database>, appointmentId: string): Promise<void> {
  await bookingDb(trx).deleteFrom('booking_seats').where('appointment_id', '=', appointmentId).execute();
}

/** Seats taken per slot of a service's day (the day pool included under DAY_POOL). */
export async function seatsTaken(db: Kysely<Database>, serviceId: string, date: string): Promise<Map<string, number>> {
  const rows = await bookingDb(db)
    .selectFrom('booking_seats')
    .select(['slot_from', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('service_id', '=', serviceId)
    .where('date', '=', date)
    .groupBy('slot_from')
    .execute();
  return new Map(rows.map((r) => [r.slot_from, Number(r.n)]));
}
