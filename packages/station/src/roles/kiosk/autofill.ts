import { maskIdNumber, maskName, maskPhone, type FormField } from '@hall/shared';
import type { CitizenRecord } from './citizens';

/** Autofill sources the station can answer from a citizen record. */
export function autofillValue(record: CitizenRecord, field: FormField, history: Record<string, string> | undefined): { value: string; source: string } | undefined {
  for (const source of field.autofill) {
    const fromCard = record.source === 'idcard' && source.startsWith('idcard.');
    const fromCode = record.source === 'residenceCode' && source.startsWith('residenceCode.');
    const value = (() => {
      if (fromCard || fromCode) {
        switch (source.split('.')[1]) {
          case 'name':
            return record.name;
          case 'idNumber':
            return record.idNumber;
          case 'sex':
            return field.kind === 'choice' ? (record.sex === '男' ? 'male' : record.sex === '女' ? 'female' : undefined) : record.sex;
          case 'nation':
            return record.nation;
          case 'birthDate':
            return record.birthDate;
          case 'address':
            return record.address;
          case 'issuer':
            return record.issuer;
          case 'phone':
            return record.phone;
        }
      }
      if (record.source === 'keypad' && field.kind === 'id_number' && source.endsWith('.idNumber')) return record.idNumber;
      if (source === 'history') return history?.[field.id];
      return undefined;
    })();
    if (value) return { value, source };
  }
  return undefined;
}

/** A prefilled value as the screen shows it: personal fields masked. */
export function maskedDisplay(field: FormField, value: string): string {
  if (!field.personal) return value;
  switch (field.kind) {
    case 'id_number':
      return maskIdNumber(value);
    case 'phone':
      return maskPhone(value);
    case 'address':
      return value.length > 6 ? `${value.slice(0, 6)}****` : '****';
    default:
      return maskName(value);
  }
}
