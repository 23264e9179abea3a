import { describe, expect, it } from 'vitest';
import { makeTestIdNumber, zonedInstant, type OpeningHours, type PriorityGroup } from '@hall/shared';
import { CitizenVault, citizenIdHash, InvalidIdNumberError } from './citizens';
import { priorityGroupForAge } from './rules/decisions';
import { nextDayOpening, openingState } from './rules/opening';

const hours: OpeningHours = {
  weekdays: [1, 2, 3, 4, 5],
  sessions: [
    { from: '08:30', to: '12:00' },
    { from: '14:30', to: '17:30' },
  ],
};
const zone = 'Asia/Shanghai';
const at = (day: string, time: string) => zonedInstant(day, time, zone);

describe('opening hours', () => {
  it('is open inside a session and says when it opens next otherwise', () => {
    // 2026-11-23 is a Monday.
    expect(openingState(hours, zone, at('2026-11-23', '09:00'))).toEqual({ open: true });
    expect(openingState(hours, zone, at('2026-11-23', '12:00'))).toEqual({ open: false, opensAt: new Date(at('2026-11-23', '14:30')).toISOString() });
    expect(openingState(hours, zone, at('2026-11-23', '04:10'))).toEqual({ open: false, opensAt: new Date(at('2026-11-23', '08:30')).toISOString() });
    // Friday evening → Monday morning.
    expect(openingState(hours, zone, at('2026-11-27', '18:00'))).toEqual({ open: false, opensAt: new Date(at('2026-11-30', '08:30')).toISOString() });
    expect(nextDayOpening(hours, zone, at('2026-11-27', '10:00'))).toBe(new Date(at('2026-11-30', '08:30')).toISOString());
  });
});

describe('citizen vault', () => {
  const groups: PriorityGroup[] = [
    { id: 'elderly', name: { zh: '老年人' }, minAge: 60 },
    { id: 'very-old', name: { zh: '高龄' }, minAge: 80 },
    { id: 'military', name: { zh: '军人' } },
  ];

  it('picks the highest age group reached', () => {
    expect(priorityGroupForAge(groups, 59)).toBeUndefined();
    expect(priorityGroupForAge(groups, 60)).toBe('elderly');
    expect(priorityGroupForAge(groups, 85)).toBe('very-old');
    expect(priorityGroupForAge(groups, undefined)).toBeUndefined();
  });

  it('hands out masked views behind handles and forgets them', () => {
    let now = 0;
    const vault = new CitizenVault({ hashKey: 'k', ttlMs: 1000, now: () => now });
    const idNumber = makeTestIdNumber({ birthDate: '1960-01-01' });
    const view = vault.add({ source: 'idcard', idNumber, name: '测试样例' }, '2026-11-23', groups);
    expect(view).toMatchObject({ maskedName: '测**例', maskedIdNumber: `${idNumber.slice(0, 4)}**********${idNumber.slice(14)}`, age: 66, priorityGroupId: 'elderly' });
    expect(JSON.stringify(view)).not.toContain(idNumber);
    expect(vault.get(view.handle)?.ref.idHash).toBe(citizenIdHash(idNumber, 'k'));
    expect(citizenIdHash(idNumber, 'k')).not.toBe(citizenIdHash(idNumber, 'other key'));
    now = 2000;
    expect(vault.get(view.handle)).toBeUndefined();
    const again = vault.add({ source: 'idcard', idNumber }, '2026-11-23', groups);
    expect(vault.forget(again.handle)).toBe(true);
    expect(vault.get(again.handle)).toBeUndefined();
  });

  it('refuses a typed number with a wrong check digit', () => {
    const vault = new CitizenVault({ hashKey: 'k' });
    const good = makeTestIdNumber({ birthDate: '1990-03-04' });
    const bad = good.slice(0, 17) + (good.endsWith('1') ? '2' : '1');
    expect(() => vault.addTyped(bad, '2026-11-23', groups)).toThrow(InvalidIdNumberError);
    expect(vault.addTyped(good.toLowerCase(), '2026-11-23', groups).source).toBe('keypad');
  });
});

describe('a residence code with sealed fields at the kiosk (码上填表)', () => {
  it('knows the citizen like a card (masked view, age group) but keeps the code subject as the citizen hash', () => {
    const vault = new CitizenVault({ hashKey: 'k' });
    const idNumber = makeTestIdNumber({ birthDate: '1950-02-02', sequence: 95 });
    const view = vault.addResidenceCode('ab'.repeat(32), {
      fields: { name: '测试居民', idNumber, address: '广东省汕尾市城区测试路1号' },
      today: '2026-11-23',
      groups: [{ id: 'elderly', name: { zh: '老年人' }, minAge: 60 }],
    });
    expect(view).toMatchObject({ source: 'residenceCode', maskedName: '测**民', maskedIdNumber: `${idNumber.slice(0, 4)}**********${idNumber.slice(14)}`, priorityGroupId: 'elderly' });
    expect(JSON.stringify(view)).not.toContain(idNumber);
    expect(vault.get(view.handle)?.ref.idHash).toBe('ab'.repeat(32));
    expect(vault.get(view.handle)?.record).toMatchObject({ source: 'residenceCode', name: '测试居民', idNumber });
    // Without fields (an older code, or no data key here) it identifies by hash only, as before.
    expect(vault.addResidenceCode('cd'.repeat(32))).toMatchObject({ maskedIdNumber: '—' });
  });
});
