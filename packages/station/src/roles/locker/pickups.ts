import { isPickupCodeFormat, type LockerItem, type LockerRefusal, type LockerScanResult } from '@hall/shared';
import type { IdCardReader } from '@hall/devices';
import type { CodeChecker } from './codes';
import { equalHex, hmacHex, sha256 } from './crypto';
import type { Doors } from './doors';
import type { AttemptLimiter } from './rateLimit';
import { refusedScan } from './rules/refusals';
import type { LockerRepository } from './repository';

export interface PickupsOptions {
  repo: LockerRepository;
  codes: CodeChecker;
  doors: Doors;
  limiter: AttemptLimiter;
  /** The station secret pickup codes are hashed under. */
  secret: Buffer;
  idCardReader: IdCardReader | undefined;
  /** How long pickup by code waits for an ID card on the reader. */
  cardWaitMs: number;
  unclaimedDays: number | undefined;
  now: () => number;
  changed: () => void;
  stopped: () => boolean;
}

/** Taking parcels out: the citizen by residence code or pickup code plus ID card, staff returning the unclaimed. */
export class Pickups {
  constructor(private readonly o: PickupsOptions) {}

  async withResidenceCode(text: string): Promise<LockerScanResult> {
    const locked = this.o.limiter.lockedUntil(this.o.now());
    if (locked) return refusedScan('locked_out', locked);
    const verified = this.o.codes.verify(text, 'residence');
    if (!verified.ok) return this.failed(verified.reason);
    const subject = Buffer.from(verified.payload.subject).toString('hex');
    const parcels = this.o.repo.depositedFor(subject);
    if (parcels.length === 0) return refusedScan('no_parcel');
    const items: LockerItem[] = [];
    for (const parcel of parcels) items.push(await this.o.doors.openFor(parcel, 'pickup', 'citizen:residence-code', `pickup of case ${parcel.case_number}`));
    return { kind: 'pickup', items };
  }

  /** Fallback for citizens without a phone: the SMS pickup code plus their ID card on the reader. */
  async withCard(pickupCode: string): Promise<LockerScanResult> {
    const locked = this.o.limiter.lockedUntil(this.o.now());
    if (locked) return refusedScan('locked_out', locked);
    if (!this.o.idCardReader) return refusedScan('no_id_card_reader');
    if (!isPickupCodeFormat(pickupCode)) return this.failed('wrong_pickup_code');
    const candidates = this.o.repo
      .depositedWithPickupCode()
      .filter((p) => equalHex(hmacHex(this.o.secret, `${p.id}:${pickupCode}`), p.pickup_code_hash ?? ''));
    const idNumber = await this.readIdNumber();
    if (idNumber === undefined) return refusedScan('no_id_card');
    const parcel = candidates.find((p) => equalHex(sha256(Buffer.from(p.id_check_salt, 'hex'), idNumber).toString('hex'), p.id_check_hash));
    if (!parcel) return this.failed('wrong_pickup_code');
    return { kind: 'pickup', items: [await this.o.doors.openFor(parcel, 'pickup', 'citizen:pickup-code+id-card', `pickup of case ${parcel.case_number}`)] };
  }

  /** A clerk's staff code opens every unclaimed (and every flagged) compartment to take the items back. */
  async returnUnclaimed(text: string): Promise<LockerScanResult> {
    const verified = this.o.codes.verify(text, 'staff');
    if (!verified.ok) return refusedScan(verified.reason === 'wrong_kind' ? 'not_staff' : verified.reason);
    const actor = `staff:${verified.payload.staffId}`;
    const due = this.o.repo.unclaimed(this.o.now(), this.o.unclaimedDays).concat(this.o.repo.needingStaff());
    const items: LockerItem[] = [];
    for (const parcel of due) items.push(await this.o.doors.openFor(parcel, 'return', actor, `return of case ${parcel.case_number} to the counter`));
    return { kind: 'return', items };
  }

  /** A failed pickup counts towards the station-wide lockout. */
  private failed(reason: LockerRefusal): LockerScanResult {
    const locked = this.o.limiter.recordFailure(reason, this.o.now());
    this.o.changed();
    return locked ? refusedScan('locked_out', locked) : refusedScan(reason);
  }

  private async readIdNumber(): Promise<string | undefined> {
    const reader = this.o.idCardReader;
    if (!reader) return undefined;
    const deadline = this.o.now() + this.o.cardWaitMs;
    while (Date.now() <= deadline && !this.o.stopped()) {
      const read = await reader.read().catch(() => undefined);
      if (read) return read.document.idNumber;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return undefined;
  }
}
