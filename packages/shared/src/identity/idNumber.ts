import type { LocalDate } from '../domain/common';

/** GB 11643-1999: ISO 7064 MOD 11-2 weights for the first 17 digits. */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

/**
 * Province codes (first two digits) that GB/T 2260 assigns, plus 81/82/83 used on
 * residence permits of Hong Kong, Macao and Taiwan residents. Rejecting anything else
 * catches most typos that happen to pass the check digit.
 */
const PROVINCE_CODES = new Set([
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64',
  '65', '71', '81', '82', '83',
]);

export type Sex = 'male' | 'female';

export interface IdNumberInfo {
  /** Normalised: 18 characters, an upper-case X as the check character if any. */
  idNumber: string;
  /** 6-digit administrative division code of the place of first registration. */
  regionCode: string;
  birthDate: LocalDate;
  sex: Sex;
}

export type IdNumberProblem = 'format' | 'region' | 'birth_date' | 'check_digit';

export type IdNumberResult =
  | { ok: true; value: IdNumberInfo }
  | { ok: false; problem: IdNumberProblem; message: string };

/** Trims, drops inner spaces (people type "4401 0219 …") and upper-cases the check x. */
export function normaliseIdNumber(raw: string): string {
  return raw.replace(/\s+/g, '').toUpperCase();
}

/** Check character for the first 17 digits; throws on anything but 17 digits. */
export function idNumberCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('expected 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (WEIGHTS[i] ?? 0);
  return CHECK_CHARS[sum % 11] ?? '';
}

/** Whether y-m-d is a real calendar date. */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth;
}

/**
 * Validates an 18-character resident ID number. `today` (hall-local) lets the caller
 * also reject birth dates in the future; without it only the calendar is checked.
 */
export function parseIdNumber(raw: string, today?: LocalDate): IdNumberResult {
  const idNumber = normaliseIdNumber(raw);
  if (!/^\d{17}[\dX]$/.test(idNumber)) {
    return { ok: false, problem: 'format', message: 'ID number must be 17 digits followed by a digit or X' };
  }
  const regionCode = idNumber.slice(0, 6);
  if (!PROVINCE_CODES.has(regionCode.slice(0, 2))) {
    return { ok: false, problem: 'region', message: 'ID number starts with an unknown province code' };
  }
  const year = Number(idNumber.slice(6, 10));
  const month = Number(idNumber.slice(10, 12));
  const day = Number(idNumber.slice(12, 14));
  const birthDate = `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`;
  if (year < 1850 || !isCalendarDate(year, month, day) || (today !== undefined && birthDate > today)) {
    return { ok: false, problem: 'birth_date', message: 'ID number contains an impossible birth date' };
  }
  if (idNumberCheckChar(idNumber.slice(0, 17)) !== idNumber[17]) {
    return { ok: false, problem: 'check_digit', message: 'ID number check digit does not match' };
  }
  const sex: Sex = Number(idNumber[16]) % 2 === 1 ? 'male' : 'female';
  return { ok: true, value: { idNumber, regionCode, birthDate, sex } };
}

export function isValidIdNumber(raw: string, today?: LocalDate): boolean {
  return parseIdNumber(raw, today).ok;
}

/** Completed years of age on `on` (a birthday on 29 Feb counts from 1 Mar in common years). */
export function ageOn(birthDate: LocalDate, on: LocalDate): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [oy, om, od] = on.split('-').map(Number) as [number, number, number];
  let age = oy - by;
  if (om < bm || (om === bm && od < bd)) age--;
  return age;
}

export interface TestIdNumberParts {
  /** 6-digit division code; defaults to 110101 (Beijing Dongcheng). */
  regionCode?: string;
  birthDate?: LocalDate;
  /** 1–999, the order code of people born that day in that region. */
  sequence?: number;
  /** Overrides the parity of the sequence's last digit (odd male, even female). */
  sex?: Sex;
}

/**
 * Builds a well-formed ID number with a valid check digit, so tests and demo data never
 * need to carry a real-looking number in plain view.
 */
export function makeTestIdNumber(parts: TestIdNumberParts = {}): string {
  const regionCode = parts.regionCode ?? '110101';
  const birthDate = parts.birthDate ?? '1990-01-01';
  let sequence = parts.sequence ?? 1;
  if (!/^\d{6}$/.test(regionCode)) throw new RangeError('regionCode must be 6 digits');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(birthDate)) throw new RangeError('birthDate must be YYYY-MM-DD');
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > 999) throw new RangeError('sequence must be 1..999');
  if (parts.sex !== undefined) {
    const wantOdd = parts.sex === 'male';
    if ((sequence % 2 === 1) !== wantOdd) sequence = sequence === 999 ? 998 : sequence + 1;
  }
  const first17 = `${regionCode}${birthDate.replaceAll('-', '')}${String(sequence).padStart(3, '0')}`;
  return first17 + idNumberCheckChar(first17);
}
