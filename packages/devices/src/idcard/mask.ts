import { maskIdNumber, maskName } from '@hall/shared';
import type { IdDocument } from './text';

/**
 * What may be shown or printed outside the task that needs the card: kind,
 * masked name and number, and the non-identifying fields.
 */
export interface MaskedDocument {
  kind: IdDocument['kind'];
  name: string;
  idNumber: string;
  sex: string;
  validUntil: string;
}

export function maskDocument(document: IdDocument): MaskedDocument {
  const name = document.kind === 'foreign-permanent-resident' ? document.chineseName || document.englishName : document.name;
  return {
    kind: document.kind,
    name: maskName(name),
    idNumber: maskIdNumber(document.idNumber),
    sex: document.sex,
    validUntil: document.validUntil,
  };
}
