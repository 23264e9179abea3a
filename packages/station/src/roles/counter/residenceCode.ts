import { timingSafeEqual } from 'node:crypto';
import { CODE_PREFIXES, maskIdNumber, maskName, type CitizenRef, type DataKeyRing, type ResidenceFields, type EventData, type IdentityCheck, type ResidenceCodeScan, type StationEvent, type Ticket } from '@hall/shared';
import type { StationCore } from '../../core';
import { openResidenceFields } from '../../residence-code/personal';
import type { StationCodeVerifier } from '../../residence-code/verifier';
import type { CounterRole } from './role';

/** Whether a scanned line claims to be a residence code (the call pad's short codes do not). */
export function looksLikeResidenceCode(code: string): boolean {
  return code.trim().startsWith(CODE_PREFIXES.residence);
}

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

/**
 * The identity a verified residence code gives at the counter. The code names the citizen
 * only by the keyed hash of the ID number, so the check compares hashes: the ticket's
 * citizen hash against the code's subject. No number or name is learnt, so none is shown
 * beyond the ticket's own masked name when they match.
 */
export function residenceIdentity(subjectHex: string, ticketCitizen: CitizenRef | undefined, at: string, fields?: ResidenceFields): IdentityCheck {
  const matches = ticketCitizen ? sameHash(ticketCitizen.idHash, subjectHex) : null;
  // With the fields sealed in the code the counter knows whom the code names, shown masked;
  // on a mismatch that is the very thing the clerk must see.
  return {
    method: 'residence_code',
    maskedName: fields ? maskName(fields.name) : matches === true && ticketCitizen ? ticketCitizen.maskedName : '—',
    maskedIdNumber: fields ? maskIdNumber(fields.idNumber) : '—',
    matchesTicket: matches,
    at,
  };
}

export interface CounterResidenceCodesOptions {
  core: StationCore;
  role: CounterRole;
  verifier: StationCodeVerifier;
  emit: <E extends StationEvent>(event: E, data: EventData<E>) => void;
  /** The residence-code data keys held (DataKeyKeeper): open the citizen's fields sealed in a code. */
  dataKeys?: () => DataKeyRing | undefined;
  now?: () => number;
}

/**
 * Residence codes read on the counter's code scanner: verified offline against the cached
 * key set with this station's replay ledger (as the locker does), then checked against the
 * citizen of the ticket the window holds and recorded on its undecided cases. The screen
 * hears the outcome as an event, whether confirmed, mismatched or refused.
 */
export class CounterResidenceCodes {
  private readonly now: () => number;

  constructor(private readonly options: CounterResidenceCodesOptions) {
    this.now = options.now ?? Date.now;
  }

  private heldTicket(counterId: string): Ticket | undefined {
    return Object.values(this.options.core.store.live.queue.tickets).find(
      (t) => t.counterId === counterId && (t.status === 'called' || t.status === 'serving'),
    );
  }

  scanned(code: string): ResidenceCodeScan {
    const at = new Date(this.now()).toISOString();
    const session = this.options.role.currentSession();
    const ticket = session ? this.heldTicket(session.counterId) : undefined;
    // Without a citizen at the window the code is not verified, so its one use is not spent.
    const result: ResidenceCodeScan = ticket ? this.check(code.trim(), ticket, at) : { outcome: 'no_ticket', caseIds: [], at };
    this.options.emit('counter.residenceCode', result);
    return result;
  }

  private check(code: string, ticket: Ticket, at: string): ResidenceCodeScan {
    const ticketRef = { ticketId: ticket.id, ticketNumber: ticket.number };
    const verified = this.options.verifier.verify(code, 'residence');
    if (!verified.ok) return { outcome: 'refused', reason: verified.reason, ...ticketRef, caseIds: [], at };
    const subject = Buffer.from(verified.payload.subject).toString('hex');
    const opened = openResidenceFields(verified.payload, this.options.dataKeys?.(), this.now());
    const fields = opened.ok ? opened.fields : undefined;
    const cases = Object.values(this.options.core.store.live.cases).filter((c) => c.ticketId === ticket.id);
    const caseIds = cases
      .filter((kase) => this.options.role.recordIdentity(kase.id, residenceIdentity(subject, kase.citizen ?? ticket.citizen, at, fields)))
      .map((kase) => kase.id);
    const reference = ticket.citizen ?? cases.find((c) => c.citizen)?.citizen;
    const matches = residenceIdentity(subject, reference, at).matchesTicket;
    // 码上受理: the code's fields fill the forms, unless the code names someone else than the ticket.
    const filled: Record<string, string[]> = {};
    if (fields && matches !== false) {
      for (const caseId of caseIds) {
        const ids = this.options.role.fillFromResidenceCode(caseId, fields);
        if (ids.length > 0) filled[caseId] = ids;
      }
    }
    return {
      outcome: matches === null ? 'no_reference' : matches ? 'confirmed' : 'mismatch',
      ...ticketRef,
      caseIds,
      ...(Object.keys(filled).length > 0 ? { filled } : {}),
      at,
    };
  }
}
