import { makeTestIdNumber } from '@hall/shared';
import { nationName, sexName } from './codes';
import type { ForeignPermanentResidentCard, HmtResidencePermit, ResidentIdCard } from './text';

/** Obviously fictitious documents for tests and demos; numbers are generated in code. */
export function testResidentCard(overrides: Partial<ResidentIdCard> = {}): ResidentIdCard {
  return {
    kind: 'resident',
    name: '测试样例人',
    sexCode: '2',
    sex: sexName('2'),
    nationCode: '01',
    nation: nationName('01'),
    birthDate: '1990-01-01',
    address: '示例省示例市测试区模拟路1号',
    idNumber: makeTestIdNumber({ birthDate: '1990-01-01', sex: 'female' }),
    issuingAuthority: '示例市公安局测试分局',
    validFrom: '2020-01-01',
    validUntil: 'long-term',
    ...overrides,
  };
}

export function testForeignCard(): ForeignPermanentResidentCard {
  return {
    kind: 'foreign-permanent-resident',
    englishName: 'SAMPLE, TEST PERSON',
    chineseName: '测试样例',
    idNumber: 'ZZZ110000900101',
    sexCode: '1',
    sex: sexName('1'),
    nationalityCode: 'ZZZ',
    cardVersion: '01',
    authorityCode: '1100',
    birthDate: '1990-01-01',
    validFrom: '2020-01-01',
    validUntil: '2030-01-01',
  };
}

export function testHmtPermit(): HmtResidencePermit {
  return {
    kind: 'hmt-residence-permit',
    name: '测试样例',
    sexCode: '1',
    sex: sexName('1'),
    birthDate: '1990-01-01',
    address: '示例省示例市测试区模拟路2号',
    idNumber: makeTestIdNumber({ regionCode: '810000', birthDate: '1990-01-01', sex: 'male' }),
    issuingAuthority: '示例市公安局',
    validFrom: '2020-01-01',
    validUntil: '2025-01-01',
    passNumber: 'H00000000',
    issueCount: '01',
  };
}
