import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { makeTestIdNumber } from '../identity/idNumber';
import { maskIdNumber, maskName, maskPhone } from './mask';

describe('maskName', () => {
  it.each([
    ['张三', '张*'],
    ['张三丰', '张*丰'],
    ['欧阳娜娜', '欧**娜'],
    ['王', '*'],
    [' 李四 ', '李*'],
    ['买买提·艾力', '买**·*力'],
    ['John Smith', 'J*** S****'],
    ['Anne-Marie Li', 'A***-M**** L*'],
    ['', ''],
  ])('%s → %s', (name, masked) => {
    expect(maskName(name)).toBe(masked);
  });

  it('never shows more than the first and last character of a Han name', () => {
    const hanName = fc.array(fc.integer({ min: 0x4e00, max: 0x9fa5 }), { minLength: 2, maxLength: 6 }).map((cps) =>
      String.fromCodePoint(...cps),
    );
    fc.assert(
      fc.property(hanName, (name) => {
        const masked = Array.from(maskName(name));
        const chars = Array.from(name);
        expect(masked).toHaveLength(chars.length);
        expect(masked[0]).toBe(chars[0]);
        const visible = masked.filter((c) => c !== '*').length;
        expect(visible).toBe(chars.length === 2 ? 1 : 2);
      }),
    );
  });
});

describe('maskIdNumber', () => {
  it('keeps four characters at each end of an 18-character number', () => {
    const id = makeTestIdNumber({ regionCode: '440102', birthDate: '1990-01-01', sequence: 123 });
    expect(maskIdNumber(id)).toBe(`4401**********${id.slice(14)}`);
    expect(maskIdNumber(`${id.slice(0, 17)}x`)).toMatch(/^4401\*{10}\d{3}X$/);
  });

  it('never reveals the birth date', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 999 }), (sequence) => {
        const id = makeTestIdNumber({ birthDate: '1987-06-05', sequence });
        expect(maskIdNumber(id)).not.toContain('19870605');
        expect(maskIdNumber(id).slice(4, 14)).toBe('*'.repeat(10));
      }),
    );
  });

  it('masks short document numbers too', () => {
    expect(maskIdNumber('E12345678')).toBe('E1*****78');
  });
});

describe('maskPhone', () => {
  it.each([
    ['13812345678', '138****5678'],
    ['+86 138 1234 5678', '138****5678'],
    ['020-87654321', '020-****4321'],
    ['12345', '*2345'],
  ])('%s → %s', (phone, masked) => {
    expect(maskPhone(phone)).toBe(masked);
  });
});
