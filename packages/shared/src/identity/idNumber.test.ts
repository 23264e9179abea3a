import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ageOn, idNumberCheckChar, isValidIdNumber, makeTestIdNumber, normaliseIdNumber, parseIdNumber } from './idNumber';

// The worked example printed in GB 11643-1999 itself, not a person's number.
const STANDARD_EXAMPLE = '11010519491231002X';

describe('resident ID number', () => {
  it('computes the check character of the standard example', () => {
    expect(idNumberCheckChar(STANDARD_EXAMPLE.slice(0, 17))).toBe('X');
    expect(isValidIdNumber(STANDARD_EXAMPLE)).toBe(true);
  });

  it('accepts a lower-case x and inner spaces, normalising them', () => {
    const lower = `${STANDARD_EXAMPLE.slice(0, 6)} ${STANDARD_EXAMPLE.slice(6, 14)} ${STANDARD_EXAMPLE.slice(14).toLowerCase()}`;
    expect(normaliseIdNumber(lower)).toBe(STANDARD_EXAMPLE);
    const parsed = parseIdNumber(lower);
    expect(parsed).toEqual({
      ok: true,
      value: { idNumber: STANDARD_EXAMPLE, regionCode: '110105', birthDate: '1949-12-31', sex: 'female' },
    });
  });

  it('names the problem with a bad number', () => {
    const good = makeTestIdNumber({ regionCode: '440102', birthDate: '1990-01-01', sequence: 123 });
    const wrongCheck = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    expect(parseIdNumber(wrongCheck)).toMatchObject({ ok: false, problem: 'check_digit' });
    expect(parseIdNumber(good.slice(0, 17))).toMatchObject({ ok: false, problem: 'format' });
    expect(parseIdNumber(`${good.slice(0, 16)}XX`)).toMatchObject({ ok: false, problem: 'format' });
    const feb30 = '440102' + '19900230' + '123';
    expect(parseIdNumber(feb30 + idNumberCheckChar(feb30))).toMatchObject({ ok: false, problem: 'birth_date' });
    const province99 = '990102' + '19900101' + '123';
    expect(parseIdNumber(province99 + idNumberCheckChar(province99))).toMatchObject({ ok: false, problem: 'region' });
  });

  it('rejects a birth date after today when today is given', () => {
    const future = makeTestIdNumber({ birthDate: '2030-05-01' });
    expect(isValidIdNumber(future)).toBe(true);
    expect(parseIdNumber(future, '2026-11-22')).toMatchObject({ ok: false, problem: 'birth_date' });
  });

  it('reads sex from the parity of the 17th digit', () => {
    expect(parseIdNumber(makeTestIdNumber({ sex: 'male' }))).toMatchObject({ ok: true, value: { sex: 'male' } });
    expect(parseIdNumber(makeTestIdNumber({ sex: 'female' }))).toMatchObject({ ok: true, value: { sex: 'female' } });
    expect(parseIdNumber(makeTestIdNumber({ sequence: 999, sex: 'female' }))).toMatchObject({
      ok: true,
      value: { sex: 'female' },
    });
  });

  it('computes age in completed years', () => {
    expect(ageOn('1960-03-15', '2026-03-14')).toBe(65);
    expect(ageOn('1960-03-15', '2026-03-15')).toBe(66);
    expect(ageOn('2000-02-29', '2026-02-28')).toBe(25);
    expect(ageOn('2000-02-29', '2026-03-01')).toBe(26);
  });

  it('generated numbers always validate and round-trip their parts; any single-digit change is caught', () => {
    const date = fc
      .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2025-12-31T00:00:00Z'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(date, fc.integer({ min: 1, max: 999 }), fc.constantFrom('male', 'female') , fc.nat(16), fc.integer({ min: 1, max: 9 }),
        (birthDate, sequence, sex, pos, delta) => {
          const id = makeTestIdNumber({ regionCode: '440305', birthDate, sequence, sex });
          const parsed = parseIdNumber(id);
          expect(parsed).toEqual({ ok: true, value: { idNumber: id, regionCode: '440305', birthDate, sex } });
          // MOD 11-2 detects every single-digit substitution.
          const digit = (Number(id[pos]) + delta) % 10;
          const altered = id.slice(0, pos) + String(digit) + id.slice(pos + 1);
          const reparsed = parseIdNumber(altered);
          expect(reparsed.ok).toBe(false);
        }),
    );
  });
});
