import type { IdDocument } from '@hall/devices';
import type { CitizenRecord } from './citizens';

/** What a card on the reader tells the kiosk, in the form the autofill sources name. */
export function recordFromDocument(document: IdDocument): CitizenRecord {
  switch (document.kind) {
    case 'resident':
      return {
        source: 'idcard',
        idNumber: document.idNumber,
        name: document.name,
        sex: document.sex,
        nation: document.nation,
        birthDate: document.birthDate,
        address: document.address,
        issuer: document.issuingAuthority,
      };
    case 'hmt-residence-permit':
      return {
        source: 'idcard',
        idNumber: document.idNumber,
        name: document.name,
        sex: document.sex,
        birthDate: document.birthDate,
        address: document.address,
        issuer: document.issuingAuthority,
      };
    case 'foreign-permanent-resident':
      return {
        source: 'idcard',
        idNumber: document.idNumber,
        name: document.chineseName || document.englishName,
        sex: document.sex,
        birthDate: document.birthDate,
      };
  }
}
