import type Database from 'better-sqlite3';
import { AppointmentSchema, zonedInstant, type Appointment, type CallingRules, type KioskAppointment } from '@hall/shared';

/**
 * Today's appointments of the hall as last fetched from the central API, kept in the
 * station's database so check-in works offline and after a restart. Each row holds only
 * what check-in needs: the keyed ID hash and the masked name, never a number or a name.
 */
export class AppointmentBook {
  private readonly replace: (date: string, appointments: readonly Appointment[]) => void;
  private readonly byDate: Database.Statement<[string], { data: string }>;

  constructor(db: Database.Database) {
    const remove = db.prepare<[string]>('DELETE FROM appointments WHERE date = ?');
    const removeOld = db.prepare<[string]>('DELETE FROM appointments WHERE date < ?');
    const insert = db.prepare<[string, string, string]>('INSERT OR REPLACE INTO appointments (id, date, data) VALUES (?, ?, ?)');
    this.replace = db.transaction((date: string, appointments: readonly Appointment[]) => {
      remove.run(date);
      // Yesterday's bookings are of no use to a kiosk and are personal data: gone.
      removeOld.run(date);
      for (const a of appointments) insert.run(a.id, a.date, JSON.stringify(a));
    });
    this.byDate = db.prepare<[string], { data: string }>('SELECT data FROM appointments WHERE date = ?');
  }

  /** Replaces the day's list with a fresh one from the central API. */
  replaceDay(date: string, appointments: readonly Appointment[]): void {
    this.replace(
      date,
      appointments.filter((a) => a.date === date),
    );
  }

  day(date: string): Appointment[] {
    const out: Appointment[] = [];
    for (const row of this.byDate.all(date)) {
      const parsed = AppointmentSchema.safeParse(JSON.parse(row.data));
      if (parsed.success) out.push(parsed.data);
    }
    return out;
  }

  forCitizen(idHash: string, date: string): Appointment[] {
    return this.day(date)
      .filter((a) => a.citizen.idHash === idHash && (a.status === 'booked' || a.status === 'checked_in'))
      .sort((a, b) => a.slot.from.localeCompare(b.slot.from));
  }
}

/**
 * Where an arrival stands against the hall's rules (CallingRules): check-in opens
 * `appointmentEarlyMinutes` before the slot; up to `appointmentLateMinutes` after its end
 * the ticket keeps the appointment's priority; later it is an ordinary ticket.
 */
export function appointmentTiming(
  appointment: Pick<Appointment, 'date' | 'slot' | 'status'>,
  rules: Pick<CallingRules, 'appointmentEarlyMinutes' | 'appointmentLateMinutes'>,
  timeZone: string,
  nowMs: number,
  checkedInHere: boolean,
): Pick<KioskAppointment, 'state' | 'checkInFrom'> {
  const opens = zonedInstant(appointment.date, appointment.slot.from, timeZone) - rules.appointmentEarlyMinutes * 60_000;
  const closes = zonedInstant(appointment.date, appointment.slot.to, timeZone) + rules.appointmentLateMinutes * 60_000;
  const checkInFrom = new Date(opens).toISOString();
  if (checkedInHere || appointment.status === 'checked_in') return { state: 'checked_in', checkInFrom };
  if (nowMs < opens) return { state: 'early', checkInFrom };
  if (nowMs > closes) return { state: 'late', checkInFrom };
  return { state: 'open', checkInFrom };
}
