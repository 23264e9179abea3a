import { zonedInstant, type Appointment, type CallingRules, type KioskAppointment, type MethodParsedParams, type MethodResult, refuseAtKiosk, LocalRejection } from '@hall/shared';
import type { BlacklistGate } from './blacklist';
import type { KioskContext } from './context';
import type { KioskIdentification } from './identification';
import { openingState } from './rules/opening';
import type { KioskPrinting } from './printing';
import type { AppointmentBook } from './repository';

/** Today's appointments of the hall from the central API; undefined when it cannot be asked (offline). */
export type AppointmentsFetch = (day: string) => Promise<Appointment[] | undefined>;

/**
 * 预约签到: today's appointments of the hall, fetched ahead and kept in the station database,
 * so a citizen is shown their bookings and checks in offline too.
 */
export class KioskAppointments {
  constructor(
    private readonly context: KioskContext,
    readonly book: AppointmentBook,
    private readonly parts: {
      identification: KioskIdentification;
      blacklist: BlacklistGate;
      printing: KioskPrinting;
      fetch?: AppointmentsFetch | undefined;
      /** Off only for demos and tests run outside the hall's opening hours. */
      enforceOpeningHours: boolean;
    },
  ) {}

  /** Refreshes today's list from the central API when it answers; the cached list otherwise. */
  async refresh(): Promise<boolean> {
    if (!this.context.catalogue()) return false;
    const day = this.context.today();
    const fetched = await this.parts.fetch?.(day).catch(() => undefined);
    if (fetched) this.book.replaceDay(day, fetched);
    return fetched !== undefined;
  }

  private views(idHash: string): KioskAppointment[] {
    const catalogue = this.context.catalogue();
    if (!catalogue) return [];
    const day = this.context.today();
    const tickets = this.context.tickets();
    return this.book.forCitizen(idHash, day).map((a) => ({
      id: a.id,
      serviceId: a.serviceId,
      ...(a.moreServiceIds === undefined ? {} : { moreServiceIds: a.moreServiceIds }),
      slot: a.slot,
      ...appointmentTiming(a, catalogue.callingRules, catalogue.hall.timeZone, this.context.now(), tickets.some((t) => t.appointmentId === a.id)),
    }));
  }

  async appointments(params: MethodParsedParams<'kiosk.appointments'>): Promise<MethodResult<'kiosk.appointments'>> {
    const entry = this.parts.identification.citizen(params.citizenHandle);
    const fresh = await this.refresh();
    return { appointments: entry ? this.views(entry.ref.idHash) : [], fresh };
  }

  /**
   * Numbered from this kiosk's lease like any ticket, so it works offline; the central API
   * checks the appointment again when the mutation syncs. Before the check-in window the
   * citizen is told when it opens; after the grace the ticket is an ordinary one.
   */
  async checkIn(params: MethodParsedParams<'kiosk.checkIn'>): Promise<MethodResult<'kiosk.checkIn'>> {
    const { core } = this.context;
    const entry = this.parts.identification.citizen(params.citizenHandle);
    const catalogue = this.context.catalogue();
    if (!entry || !catalogue) throw refuseAtKiosk({ reason: 'no_catalogue' });
    const today = this.context.today();
    const appointment = this.book.forCitizen(entry.ref.idHash, today).find((a) => a.id === params.appointmentId);
    const view = this.views(entry.ref.idHash).find((a) => a.id === params.appointmentId);
    if (!appointment || !view) throw new LocalRejection('unknown_appointment', 'no such appointment today for this citizen');
    if (view.state === 'checked_in') throw refuseAtKiosk({ reason: 'appointment_checked_in' });
    if (view.state === 'early') throw refuseAtKiosk({ reason: 'appointment_early', serviceId: appointment.serviceId, opensAt: view.checkInFrom });
    const barred = await this.parts.blacklist.barred(entry.ref.idHash, today);
    if (barred) throw refuseAtKiosk(barred);
    if (this.parts.enforceOpeningHours) {
      const opening = openingState(catalogue.hall.openingHours, catalogue.hall.timeZone, this.context.now());
      if (!opening.open) throw refuseAtKiosk({ reason: 'closed', opensAt: opening.opensAt });
    }
    const queueId = catalogue.services.find((s) => s.id === appointment.serviceId)?.queueId;
    if (!queueId) throw new LocalRejection('unknown_service', `service ${appointment.serviceId} is not offered here`);
    const { id, serviceId, moreServiceIds, date, slot, status, citizen } = appointment;
    const ticket = core.issueNumbered(queueId, (ticketId, sequence) => ({
      type: 'checkIn',
      ticketId,
      appointment: { id, serviceId, ...(moreServiceIds === undefined ? {} : { moreServiceIds }), date, slot, status, citizen },
      sequence,
      deviceId: core.identity.deviceId,
    }));
    return { issued: await this.parts.printing.issued(ticket, true), late: view.state === 'late' };
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
