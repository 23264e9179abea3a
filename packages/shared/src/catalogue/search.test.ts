import { describe, expect, it } from 'vitest';
import { searchServices } from './search';
import { makeTestService } from './testService';

const services = [
  makeTestService(),
  makeTestService({ id: 'svc-jzz', code: 'JZZ-01', name: { zh: '居住证办理', en: 'Residence permit' }, keywords: ['jzz'] }),
  makeTestService({ id: 'svc-qsgx', code: 'QSGX-01', name: { zh: '亲属关系证明' }, keywords: ['qsgxzm', '户籍'] }),
];
const ids = (query: string) => searchServices(services, query).map((h) => h.service.id);

describe('searchServices', () => {
  it('matches pinyin initials in keywords regardless of case', () => {
    expect(ids('HJZM')).toEqual(['svc-hjzm']);
    expect(ids('jz')).toEqual(['svc-hjzm', 'svc-jzz']);
  });

  it('ranks name matches before keyword matches', () => {
    const reversed = [...services].reverse();
    expect(searchServices(reversed, '户籍').map((h) => [h.service.id, h.rank])).toEqual([
      ['svc-hjzm', 0],
      ['svc-qsgx', 2],
    ]);
    expect(searchServices(reversed, '证明').map((h) => [h.service.id, h.rank])).toEqual([
      ['svc-qsgx', 1],
      ['svc-hjzm', 1],
    ]);
  });

  it('matches English names and codes, requiring every term', () => {
    expect(ids('residence permit')).toEqual(['svc-jzz']);
    expect(ids('qsgx-01')).toEqual(['svc-qsgx']);
    expect(ids('户籍 jzz')).toEqual([]);
  });

  it('lists everything in catalogue order for an empty query, nothing for a miss', () => {
    expect(ids('  ')).toEqual(['svc-hjzm', 'svc-jzz', 'svc-qsgx']);
    expect(ids('护照')).toEqual([]);
  });
});
