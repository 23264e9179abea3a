import { refuseAtKiosk, LocalRejection, StationCallError, type CitizenRef, type KioskRefusal, type MethodParsedParams, type MethodResult, type Ticket } from '@hall/shared';
import type { BlacklistGate } from './blacklist';
import type { KioskContext } from './context';
import { kioskDecision, refuseUndecided } from './rules/decisions';
import type { KioskIdentification } from './identification';
import { nextDayOpening, openingState } from './rules/opening';
import type { KioskPrinting } from './printing';
import { checkRelease, releaseClaim, type ReleaseCheck } from './release';

type ReleaseParams = NonNullable<MethodParsedParams<'kiosk.issue'>['release']>;

/**
 * Taking a number at the kiosk (取号): the hall's rules first (opening hours, the queue's
 * kinds, daily caps, the blacklist), then a ticket numbered from this kiosk's leased block,
 * so it answers offline; 领证号 to the pickup queue, 现场号/特殊号 on a floor guide's release.
 */
export class TicketIssue {
  constructor(
    private readonly context: KioskContext,
    private readonly identification: KioskIdentification,
    private readonly blacklist: BlacklistGate,
    private readonly printing: KioskPrinting,
    /** Off only for demos and tests run outside the hall's opening hours. */
    private readonly enforceOpeningHours: boolean,
  ) {}

  async issue(params: MethodParsedParams<'kiosk.issue'>): Promise<MethodResult<'kiosk.issue'>> {
    const citizen = this.identification.citizen(params.citizenHandle);
    const matterCitizens = this.identification.matterCitizens(params.matterCitizenHandles);
    if (params.release) return this.issueReleased(params, params.release, citizen?.ref);
    const refusal = await this.refusal(params, citizen?.ref);
    if (refusal) throw refuseAtKiosk(refusal);
    // Every member of the family is held to the hall's blacklist, not only the one who came first.
    for (const member of Object.values(matterCitizens ?? {})) {
      const barred = await this.blacklist.barred(member.idHash, this.context.today());
      if (barred) throw refuseAtKiosk(barred);
    }
    let ticket: Ticket;
    try {
      ticket =
        params.kind === 'pickup'
          ? this.issuePickup(params.serviceIds, citizen?.ref)
          : this.context.core.issueTicket({
              serviceIds: params.serviceIds,
              kind: params.kind,
              ...kioskDecision(citizen, this.context.priorityGroups()),
              ...(matterCitizens === undefined ? {} : { matterCitizens }),
            });
    } catch (error) {
      if (error instanceof LocalRejection) {
        const serviceId = params.serviceIds[0] ?? '';
        if (error.code === 'daily_cap_reached') throw refuseAtKiosk({ reason: 'daily_cap_reached', serviceId, opensAt: null });
        if (error.code === 'kind_not_offered') throw refuseAtKiosk({ reason: 'kind_not_offered', serviceId });
      }
      throw error;
    }
    return { issued: await this.printing.issued(ticket, true) };
  }

  /** What the hall's rules refuse before a number is spent: closed, a kind the queue does not take, a full day, a bar. */
  private async refusal(params: MethodParsedParams<'kiosk.issue'>, citizen: CitizenRef | undefined): Promise<KioskRefusal | undefined> {
    const catalogue = this.context.catalogue();
    if (!catalogue) return { reason: 'no_catalogue' };
    const now = this.context.now();
    const { hall } = catalogue;
    if (this.enforceOpeningHours) {
      const opening = openingState(hall.openingHours, hall.timeZone, now);
      if (!opening.open) return { reason: 'closed', opensAt: opening.opensAt };
    }
    const today = this.context.today();
    for (const serviceId of params.serviceIds) {
      const service = catalogue.services.find((s) => s.id === serviceId);
      if (!service) throw new StationCallError({ code: 'bad_request', message: `unknown service ${serviceId}` });
      const queue = catalogue.queues.find((q) => q.id === service.queueId);
      if (queue && !queue.kinds.includes(params.kind)) {
        // Pickup tickets come from the pickup queue, whatever service the certificate was for.
        if (params.kind !== 'pickup') return { reason: 'kind_not_offered', serviceId };
      }
      if (service.dailyCap !== undefined) {
        const issued = this.context.tickets().filter((t) => t.day === today && t.serviceIds[0] === serviceId && t.kind !== 'pickup').length;
        if (issued >= service.dailyCap) {
          return { reason: 'daily_cap_reached', serviceId, opensAt: nextDayOpening(hall.openingHours, hall.timeZone, now) };
        }
      }
    }
    return citizen ? this.blacklist.barred(citizen.idHash, today) : undefined;
  }

  /** ticket.issue at a kiosk: the kiosk's decisions, the screen's choice of service and kind; no slip. */
  issueFromScreen(params: MethodParsedParams<'ticket.issue'>): Ticket {
    if (params.kind === 'appointment' || params.appointmentId !== undefined) {
      throw new LocalRejection('kind_not_decided', 'appointment tickets come from an appointment check-in (kiosk.checkIn)');
    }
    const { kind } = params;
    const decided = kioskDecision(this.identification.citizen(params.citizenHandle), this.context.priorityGroups());
    refuseUndecided(params, decided);
    return kind === 'pickup' ? this.issuePickup(params.serviceIds, decided.citizen) : this.context.core.issueTicket({ serviceIds: params.serviceIds, kind, ...decided });
  }

  /** The floor guide's release password checked against the hall's verifiers: no network needed. */
  private release(code: string): ReleaseCheck {
    return checkRelease(code, this.context.catalogue()?.releases ?? [], this.context.today(), this.context.tickets());
  }

  releaseCheck(code: string): MethodResult<'kiosk.releaseCheck'> {
    const checked = this.release(code);
    if (!checked.ok) throw refuseAtKiosk({ reason: 'release_refused', code: checked.code });
    const { serial, kind, priorityGroupId } = checked.verifier;
    return { release: { serial, kind, ...(priorityGroupId === undefined ? {} : { priorityGroupId }), remaining: checked.remaining } };
  }

  /**
   * 现场号/特殊号 (导办放号): the password decides the ticket's release and, for a special
   * ticket, its priority group; daily caps do not apply (the hall's own decision, supervised
   * in the console). A citizen identified at the kiosk stays on the ticket.
   */
  private async issueReleased(params: MethodParsedParams<'kiosk.issue'>, release: ReleaseParams, citizen: CitizenRef | undefined): Promise<MethodResult<'kiosk.issue'>> {
    if (!this.context.catalogue()) throw refuseAtKiosk({ reason: 'no_catalogue' });
    const checked = this.release(release.code);
    if (!checked.ok) throw refuseAtKiosk({ reason: 'release_refused', code: checked.code });
    if (params.kind === 'pickup') throw refuseAtKiosk({ reason: 'release_refused', code: 'release_mismatch' });
    const { verifier } = checked;
    let ticket: Ticket;
    try {
      ticket = this.context.core.issueTicket({
        serviceIds: params.serviceIds,
        kind: params.kind,
        ...(citizen ? { citizen } : {}),
        ...(verifier.kind === 'special' && verifier.priorityGroupId !== undefined ? { priorityGroupId: verifier.priorityGroupId } : {}),
        release: releaseClaim(checked, release.reason, release.note),
      });
    } catch (error) {
      if (error instanceof LocalRejection && (error.code === 'release_used' || error.code === 'release_mismatch')) {
        throw refuseAtKiosk({ reason: 'release_refused', code: error.code });
      }
      throw error;
    }
    return { issued: await this.printing.issued(ticket, true) };
  }

  /**
   * 领证号: certificates are collected at the delivery counter, so the ticket goes to the
   * hall's pickup queue that lists the service, not to the service's own queue (which
   * StationCore.issueTicket uses). Numbered from this kiosk's leased block like any ticket.
   */
  private issuePickup(serviceIds: string[], citizen: CitizenRef | undefined): Ticket {
    const { core } = this.context;
    const first = serviceIds[0] ?? '';
    const queue = this.context.catalogue()?.queues.find((q) => q.kinds.includes('pickup') && q.serviceIds.includes(first));
    if (!queue) throw new LocalRejection('kind_not_offered', `no pickup queue lists service ${first}`);
    return core.issueNumbered(queue.id, (ticketId, sequence) => ({
      type: 'issueTicket',
      ticketId,
      queueId: queue.id,
      serviceIds,
      kind: 'pickup',
      sequence,
      deviceId: core.identity.deviceId,
      ...(citizen ? { citizen } : {}),
    }));
  }

  /** 到号前短信提醒: a mutation like any other, so it waits in the outbox (and the hall mesh) while offline. */
  positionSms(params: MethodParsedParams<'kiosk.positionSms'>): MethodResult<'kiosk.positionSms'> {
    const { core } = this.context;
    core.store.commit({ type: 'requestPositionSms', payload: { ticketId: params.ticketId, phone: params.phone, at: core.at() } });
    return { pendingSync: !this.context.online() };
  }
}
