import type { LocalDate } from '@hall/shared';
import { idNumberCheckChar, isCalendarDate, parseIdNumber } from '@hall/shared';
import { nationName, sexName } from './codes';

/** Size of the text block in the base information reply. */
export const TEXT_BLOCK_LENGTH = 256;
/** Offset of the card-type marker shared by the 'I' and 'J' layouts. */
const CARD_TYPE_OFFSET = 248;

type FieldSpec<K extends string> = readonly (readonly [K, number])[];

/** Byte lengths of each field, in card order (every layout sums to 256). */
const RESIDENT_FIELDS = [
  ['name', 30], ['sex', 2], ['nation', 4], ['birthDate', 16], ['address', 70], ['idNumber', 36],
  ['issuingAuthority', 30], ['validFrom', 16], ['validUntil', 16], ['reserved', 36],
] as const satisfies FieldSpec<string>;

const FOREIGN_FIELDS = [
  ['englishName', 120], ['sex', 2], ['idNumber', 30], ['nationality', 6], ['chineseName', 30],
  ['validFrom', 16], ['validUntil', 16], ['birthDate', 16], ['cardVersion', 4], ['authorityCode', 8],
  ['cardType', 2], ['reserved', 6],
] as const satisfies FieldSpec<string>;

const HMT_FIELDS = [
  ['name', 30], ['sex', 2], ['reserved1', 4], ['birthDate', 16], ['address', 70], ['idNumber', 36],
  ['issuingAuthority', 30], ['validFrom', 16], ['validUntil', 16], ['passNumber', 18], ['issueCount', 4],
  ['reserved2', 6], ['cardType', 2], ['reserved3', 6],
] as const satisfies FieldSpec<string>;

type FieldsOf<S extends FieldSpec<string>> = Record<S[number][0], string>;

export type ValidUntil = LocalDate | 'long-term';

interface DocumentBase {
  idNumber: string;
  /** GB/T 2261.1 code and its display name. */
  sexCode: string;
  sex: string;
  birthDate: LocalDate;
  validFrom: LocalDate;
  validUntil: ValidUntil;
}

export interface ResidentIdCard extends DocumentBase {
  kind: 'resident';
  name: string;
  /** GB 3304 code and its display name. */
  nationCode: string;
  nation: string;
  address: string;
  issuingAuthority: string;
}

/** 外国人永久居留身份证 (2017 layout, card-type marker 'I'). */
export interface ForeignPermanentResidentCard extends DocumentBase {
  kind: 'foreign-permanent-resident';
  englishName: string;
  chineseName: string;
  /** GB/T 2659 three-letter code. */
  nationalityCode: string;
  cardVersion: string;
  authorityCode: string;
}

/** 港澳台居民居住证 (card-type marker 'J'). */
export interface HmtResidencePermit extends DocumentBase {
  kind: 'hmt-residence-permit';
  name: string;
  address: string;
  issuingAuthority: string;
  passNumber: string;
  issueCount: string;
}

export type IdDocument = ResidentIdCard | ForeignPermanentResidentCard | HmtResidencePermit;
export type IdDocumentKind = IdDocument['kind'];

export type TextDecodeResult = { ok: true; document: IdDocument } | { ok: false; error: string };

function splitFields<S extends FieldSpec<string>>(text: Uint8Array, spec: S): FieldsOf<S> {
  const out: Record<string, string> = {};
  let offset = 0;
  for (const [key, length] of spec) {
    out[key] = Buffer.from(text.subarray(offset, offset + length))
      .toString('utf16le')
      .replaceAll('\0', ' ')
      .trim();
    offset += length;
  }
  return out as FieldsOf<S>;
}

function joinFields<S extends FieldSpec<string>>(values: Partial<FieldsOf<S>>, spec: S): Buffer {
  const block = Buffer.alloc(TEXT_BLOCK_LENGTH);
  let offset = 0;
  for (const [key, length] of spec) {
    const value = (values as Record<string, string | undefined>)[key] ?? '';
    const chars = length / 2;
    block.write(value.slice(0, chars).padEnd(chars, ' '), offset, length, 'utf16le');
    offset += length;
  }
  return block;
}

function parseDate(raw: string, field: string): LocalDate | Error {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(raw);
  if (!m || !isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]))) {
    return new Error(`${field} is not a YYYYMMDD date`);
  }
  return `${m[1]}-${m[2]}-${m[3]}`;
}

function parseValidUntil(raw: string): ValidUntil | Error {
  return raw === '长期' ? 'long-term' : parseDate(raw, 'validity end');
}

function formatDate(date: LocalDate): string {
  return date.replaceAll('-', '');
}

function formatValidUntil(value: ValidUntil): string {
  return value === 'long-term' ? '长期' : formatDate(value);
}

/** Foreign permanent residence numbers: 2017 "ABC123456789012", 2023 18 digits starting 9. */
function foreignIdNumberProblem(idNumber: string): string | undefined {
  if (/^[A-Z]{3}\d{12}$/.test(idNumber)) return undefined;
  if (/^9\d{16}[\dX]$/.test(idNumber)) {
    return idNumberCheckChar(idNumber.slice(0, 17)) === idNumber[17] ? undefined : 'ID number check digit does not match';
  }
  return 'foreign permanent resident number has an unknown format';
}

function commonDates(f: { birthDate: string; validFrom: string; validUntil: string }):
  | { birthDate: LocalDate; validFrom: LocalDate; validUntil: ValidUntil }
  | Error {
  const birthDate = parseDate(f.birthDate, 'birth date');
  if (birthDate instanceof Error) return birthDate;
  const validFrom = parseDate(f.validFrom, 'validity start');
  if (validFrom instanceof Error) return validFrom;
  const validUntil = parseValidUntil(f.validUntil);
  if (validUntil instanceof Error) return validUntil;
  return { birthDate, validFrom, validUntil };
}

export function cardTypeMarker(text: Uint8Array): string {
  return Buffer.from(text.subarray(CARD_TYPE_OFFSET, CARD_TYPE_OFFSET + 2)).toString('utf16le');
}

/** Decodes the 256-byte UCS-2LE text block; validates dates and the ID number. Never throws. */
export function decodeTextBlock(text: Uint8Array): TextDecodeResult {
  if (text.length !== TEXT_BLOCK_LENGTH) {
    return { ok: false, error: `text block is ${text.length} bytes, expected ${TEXT_BLOCK_LENGTH}` };
  }
  const marker = cardTypeMarker(text);
  if (marker === 'I') {
    const f = splitFields(text, FOREIGN_FIELDS);
    const dates = commonDates(f);
    if (dates instanceof Error) return { ok: false, error: dates.message };
    const problem = foreignIdNumberProblem(f.idNumber);
    if (problem) return { ok: false, error: problem };
    return {
      ok: true,
      document: {
        kind: 'foreign-permanent-resident',
        englishName: f.englishName,
        chineseName: f.chineseName,
        idNumber: f.idNumber,
        sexCode: f.sex,
        sex: sexName(f.sex),
        nationalityCode: f.nationality,
        cardVersion: f.cardVersion,
        authorityCode: f.authorityCode,
        ...dates,
      },
    };
  }
  const hmt = marker === 'J';
  const f = hmt ? splitFields(text, HMT_FIELDS) : splitFields(text, RESIDENT_FIELDS);
  const dates = commonDates(f);
  if (dates instanceof Error) return { ok: false, error: dates.message };
  const checked = parseIdNumber(f.idNumber);
  if (!checked.ok) return { ok: false, error: checked.message };
  const base = {
    name: f.name,
    idNumber: checked.value.idNumber,
    sexCode: f.sex,
    sex: sexName(f.sex),
    address: f.address,
    issuingAuthority: f.issuingAuthority,
    ...dates,
  };
  if ('passNumber' in f) {
    return { ok: true, document: { kind: 'hmt-residence-permit', ...base, passNumber: f.passNumber, issueCount: f.issueCount } };
  }
  const nationCode = 'nation' in f ? f.nation : '';
  return { ok: true, document: { kind: 'resident', ...base, nationCode, nation: nationName(nationCode) } };
}

/** The inverse of `decodeTextBlock`, used by the simulator to build card data. */
export function encodeTextBlock(document: IdDocument): Buffer {
  const dates = {
    birthDate: formatDate(document.birthDate),
    validFrom: formatDate(document.validFrom),
    validUntil: formatValidUntil(document.validUntil),
  };
  switch (document.kind) {
    case 'resident':
      return joinFields(
        {
          ...dates,
          name: document.name,
          sex: document.sexCode,
          nation: document.nationCode,
          address: document.address,
          idNumber: document.idNumber,
          issuingAuthority: document.issuingAuthority,
        },
        RESIDENT_FIELDS,
      );
    case 'foreign-permanent-resident':
      return joinFields(
        {
          ...dates,
          englishName: document.englishName,
          sex: document.sexCode,
          idNumber: document.idNumber,
          nationality: document.nationalityCode,
          chineseName: document.chineseName,
          cardVersion: document.cardVersion,
          authorityCode: document.authorityCode,
          cardType: 'I',
        },
        FOREIGN_FIELDS,
      );
    case 'hmt-residence-permit':
      return joinFields(
        {
          ...dates,
          name: document.name,
          sex: document.sexCode,
          address: document.address,
          idNumber: document.idNumber,
          issuingAuthority: document.issuingAuthority,
          passNumber: document.passNumber,
          issueCount: document.issueCount,
          cardType: 'J',
        },
        HMT_FIELDS,
      );
  }
}
