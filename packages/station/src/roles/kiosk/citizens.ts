import { createHmac, randomBytes } from 'node:crypto';
import {
  ageOn,
  maskIdNumber,
  maskName,
  normaliseIdNumber,
  parseIdNumber,
  type CitizenRef,
  type CitizenView,
  type LocalDate,
  type PriorityGroup,
  type ResidenceFields,
} from '@hall/shared';
import { priorityGroupForAge } from './rules/decisions';

/** What the station knows about the citizen at the kiosk; never leaves the station process unmasked. */
export interface CitizenRecord {
  source: CitizenView['source'];
  idNumber: string;
  name?: string;
  sex?: string;
  nation?: string;
  birthDate?: LocalDate;
  address?: string;
  issuer?: string;
  phone?: string;
}

interface Entry {
  record: CitizenRecord;
  view: CitizenView;
  ref: CitizenRef;
  expiresAt: number;
}

export class InvalidIdNumberError extends Error {
  constructor(readonly problem: string) {
    super(`invalid ID number: ${problem}`);
    this.name = 'InvalidIdNumberError';
  }
}

/** HMAC-SHA256 of the normalised ID number with the city's key: how tickets and blacklists name a citizen. */
export function citizenIdHash(idNumber: string, key: string): string {
  return createHmac('sha256', key).update(normaliseIdNumber(idNumber)).digest('hex');
}

export interface CitizenVaultOptions {
  /** The city's key for citizen hashes. */
  hashKey: string;
  /** How long an identified citizen is kept without use; the renderer forgets earlier on idle. */
  ttlMs?: number;
  now?: () => number;
}

/**
 * Identified citizens of the current kiosk sessions, by opaque handle. Only masked views
 * and handles go to the renderer; the full record stays here for autofill, hashing and
 * the priority decision, and is dropped on `forget`, on expiry, or when the process ends.
 */
export class CitizenVault {
  private readonly entries = new Map<string, Entry>();
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(private readonly options: CitizenVaultOptions) {
    this.ttlMs = options.ttlMs ?? 10 * 60_000;
    this.now = options.now ?? Date.now;
  }

  add(record: CitizenRecord, today: LocalDate, groups: readonly PriorityGroup[]): CitizenView {
    this.purge();
    const birthDate = record.birthDate ?? parsedBirthDate(record.idNumber);
    const age = birthDate ? ageOn(birthDate, today) : undefined;
    const handle = randomBytes(18).toString('base64url');
    const priorityGroupId = priorityGroupForAge(groups, age);
    const view: CitizenView = {
      handle,
      source: record.source,
      maskedIdNumber: maskIdNumber(record.idNumber),
      ...(record.name ? { maskedName: maskName(record.name) } : {}),
      ...(age === undefined ? {} : { age }),
      ...(priorityGroupId ? { priorityGroupId } : {}),
    };
    const ref: CitizenRef = {
      maskedName: record.name ? maskName(record.name) : maskIdNumber(record.idNumber),
      idHash: citizenIdHash(record.idNumber, this.options.hashKey),
    };
    this.entries.set(handle, { record, view, ref, expiresAt: this.now() + this.ttlMs });
    return view;
  }

  /** A number typed on the keypad: validated (format, region, date, check digit) before anything else. */
  addTyped(idNumber: string, today: LocalDate, groups: readonly PriorityGroup[]): CitizenView {
    const parsed = parseIdNumber(idNumber, today);
    if (!parsed.ok) throw new InvalidIdNumberError(parsed.problem);
    return this.add({ source: 'keypad', idNumber: normaliseIdNumber(idNumber) }, today, groups);
  }

  /**
   * A verified residence code (粤居码): it names the citizen only by a keyed hash, so the
   * kiosk knows no number, name or age — enough to queue and to check the blacklist.
   */
  addResidenceCode(subjectHex: string, opened?: { fields: ResidenceFields; today: LocalDate; groups: readonly PriorityGroup[] }): CitizenView {
    this.purge();
    if (opened) {
      // The fields sealed in the code (码上填表): known like a card's, held only for this session.
      // The code's subject stays the citizen's hash: it is the central API's, not recomputed here.
      const { name, idNumber, address, phone } = opened.fields;
      const record: CitizenRecord = { source: 'residenceCode', idNumber, name, address, ...(phone ? { phone } : {}) };
      const view = this.add(record, opened.today, opened.groups);
      const entry = this.entries.get(view.handle)!;
      entry.ref = { ...entry.ref, idHash: subjectHex };
      return view;
    }
    const handle = randomBytes(18).toString('base64url');
    const view: CitizenView = { handle, source: 'residenceCode', maskedIdNumber: '—' };
    const ref: CitizenRef = { maskedName: '粤居码', idHash: subjectHex };
    this.entries.set(handle, { record: { source: 'residenceCode', idNumber: '' }, view, ref, expiresAt: this.now() + this.ttlMs });
    return view;
  }

  get(handle: string | undefined): Entry | undefined {
    if (handle === undefined) return undefined;
    const entry = this.entries.get(handle);
    if (!entry) return undefined;
    if (entry.expiresAt < this.now()) {
      this.entries.delete(handle);
      return undefined;
    }
    entry.expiresAt = this.now() + this.ttlMs;
    return entry;
  }

  forget(handle: string): boolean {
    return this.entries.delete(handle);
  }

  get size(): number {
    this.purge();
    return this.entries.size;
  }

  private purge(): void {
    const now = this.now();
    for (const [handle, entry] of this.entries) if (entry.expiresAt < now) this.entries.delete(handle);
  }
}

function parsedBirthDate(idNumber: string): LocalDate | undefined {
  const parsed = parseIdNumber(idNumber);
  return parsed.ok ? parsed.value.birthDate : undefined;
}
