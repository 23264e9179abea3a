import { describe, expect, it } from 'vitest';
import { makeTestIdNumber, type FormField, type FormSchema } from '@hall/shared';
import { validateField, validateForm } from './validate';

const field = (kind: FormField['kind'], extra: Partial<FormField> = {}): FormField => ({
  id: 'f',
  label: { zh: '字段' },
  kind,
  required: true,
  autofill: [],
  personal: false,
  ...extra,
});
const today = '2026-11-23';

describe('form validation', () => {
  it('requires required fields and accepts empty optional ones', () => {
    expect(validateField(field('text'), '', today)).toEqual({ key: 'required' });
    expect(validateField(field('text'), undefined, today)).toEqual({ key: 'required' });
    expect(validateField(field('text', { required: false }), '', today)).toBeUndefined();
  });

  it('checks ID numbers by check digit', () => {
    const good = makeTestIdNumber({ birthDate: '1980-05-06' });
    const bad = good.slice(0, 17) + (good.endsWith('1') ? '2' : '1');
    expect(validateField(field('id_number'), good, today)).toBeUndefined();
    expect(validateField(field('id_number'), bad, today)).toEqual({ key: 'idNumber' });
  });

  it('checks phones, dates with ranges, numbers and text lengths', () => {
    expect(validateField(field('phone'), '13800000000', today)).toBeUndefined();
    expect(validateField(field('phone'), '020-12345678', today)).toBeUndefined();
    expect(validateField(field('phone'), '12345', today)).toEqual({ key: 'phone' });
    expect(validateField(field('date'), '2026-02-30', today)).toEqual({ key: 'date' });
    expect(validateField(field('date', { maxDaysFromToday: 0 }), '2026-11-24', today)).toEqual({ key: 'dateRange' });
    expect(validateField(field('date', { minDaysFromToday: -365 }), '2025-11-22', today)).toEqual({ key: 'dateRange' });
    expect(validateField(field('date', { minDaysFromToday: -365 }), '2025-11-23', today)).toBeUndefined();
    expect(validateField(field('number', { min: 1, max: 5 }), '6', today)).toEqual({ key: 'numberRange' });
    expect(validateField(field('number'), 'abc', today)).toEqual({ key: 'number' });
    expect(validateField(field('text', { minLength: 2 }), '张', today)).toEqual({ key: 'minLength', count: 2 });
    expect(validateField(field('text', { maxLength: 3 }), '张三丰人', today)).toEqual({ key: 'maxLength', count: 3 });
  });

  it('matches a validation pattern against the whole value', () => {
    const postcode = field('text', { pattern: '\\d{6}' });
    expect(validateField(postcode, '510000', today)).toBeUndefined();
    expect(validateField(postcode, '5100001', today)).toEqual({ key: 'pattern' });
    expect(validateField(postcode, 'x510000', today)).toEqual({ key: 'pattern' });
    expect(validateField(field('address', { pattern: '广州市.+' }), '广州市天河区', today)).toBeUndefined();
  });

  it('skips fields the station fills', () => {
    const form: FormSchema = {
      id: 'form',
      version: 1,
      title: { zh: '表' },
      sections: [{ id: 's', title: { zh: '节' }, fields: [field('text', { id: 'name' }), field('phone', { id: 'phone' })] }],
    };
    expect(validateForm(form, {}, new Set(['name']), today)).toEqual({ phone: { key: 'required' } });
  });
});
