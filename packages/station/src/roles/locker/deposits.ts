import { lockerRefusalMessage, pickCompartment, type LockerItem, type LockerLayout, type LockerRefusal, type LockerScanResult, type VerifiedCode } from '@hall/shared';
import type { CodeChecker } from './codes';
import type { Doors } from './doors';
import type { LockerEventOutbox } from './events';
import { refusedScan } from './rules/refusals';
import type { LockerRepository } from './repository';

export interface DepositsOptions {
  layout: LockerLayout;
  repo: LockerRepository;
  codes: CodeChecker;
  doors: Doors;
  events: LockerEventOutbox;
  now: () => number;
}

/** Deposits by a counter's deposit code: each code gets its own compartment. */
export class Deposits {
  constructor(private readonly o: DepositsOptions) {}

  /** Batch deposit: the doors close one by one. */
  async deposit(codes: readonly string[]): Promise<LockerScanResult> {
    const items: LockerItem[] = [];
    const refusals: { reason: LockerRefusal; message: { zh: string; en: string } }[] = [];
    for (const text of codes) {
      const outcome = await this.depositOne(text);
      if ('reason' in outcome) refusals.push({ reason: outcome.reason, message: lockerRefusalMessage(outcome.reason) });
      else items.push(outcome);
    }
    if (items.length === 0 && refusals.length > 0) return refusedScan(refusals[0]!.reason);
    return { kind: 'deposit', items, refusals };
  }

  private async depositOne(text: string): Promise<LockerItem | { reason: LockerRefusal }> {
    const { repo, codes } = this.o;
    if (!codes.haveKeys()) return { reason: 'no_key_set' };
    const verified = codes.verify(text, 'deposit');
    if (!verified.ok) return { reason: verified.reason };
    const code = verified.payload;
    if (repo.parcel(code.parcelId)) return { reason: 'already_deposited' };
    // A counter's own code (API away when it was printed): the central API checks it again and credits that counter.
    const delegated = verified.delegated ? text.trim() : null;
    const reason = `deposit of case ${code.caseNumber}${verified.delegated ? ` (code signed offline by counter ${verified.delegated.deviceId})` : ''}`;
    // A jammed door takes its compartment out of service and the next fitting one is tried.
    for (let attempt = 0; attempt < 3; attempt++) {
      const compartment = pickCompartment(this.o.layout.compartments, code.size, (id) => repo.compartmentUse(id));
      if (!compartment) return attempt === 0 ? { reason: 'no_free_compartment' } : this.depositFailed(code);
      const at = new Date(this.o.now()).toISOString();
      if (attempt === 0) repo.insertParcel(newParcel(code, compartment.id, delegated), at);
      else repo.moveParcel(code.parcelId, compartment.id, at);
      const parcel = repo.parcel(code.parcelId);
      if (!parcel) throw new Error(`parcel ${code.parcelId} is not here`);
      const item = await this.o.doors.openFor(parcel, 'deposit', 'clerk:deposit-code', reason);
      if (item.status !== 'deposit_failed') return { ...item, maskedName: code.maskedName };
    }
    return this.depositFailed(code);
  }

  private depositFailed(code: VerifiedCode<'deposit'>): { reason: LockerRefusal } {
    const row = this.o.repo.parcel(code.parcelId);
    if (row) this.o.events.enqueue({ type: 'flagged', parcelId: row.id, compartmentId: row.compartment_id, reason: 'deposit_failed' });
    return { reason: 'device_error' };
  }
}

function newParcel(code: VerifiedCode<'deposit'>, compartmentId: string, delegatedCode: string | null) {
  const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
  return {
    id: code.parcelId,
    caseNumber: code.caseNumber,
    size: code.size,
    compartmentId,
    subject: hex(code.subject),
    idCheckSalt: hex(code.idCheckSalt),
    idCheckHash: hex(code.idCheckHash),
    maskedName: code.maskedName,
    delegatedCode,
  };
}

