import { parseIdNumber, type FormField, type FormSchema, type LocalDate } from '@hall/shared';

export type FieldValue = string | number | string[] | undefined;

/** A field problem as a message key under `form.errors` plus its interpolation values. */
export interface FieldProblem {
  key: 'required' | 'minLength' | 'maxLength' | 'pattern' | 'idNumber' | 'phone' | 'date' | 'dateRange' | 'number' | 'numberRange';
  count?: number;
}

const MOBILE = /^1\d{10}$/;
const LANDLINE = /^0\d{2,3}-?\d{7,8}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function dayOffset(day: LocalDate, days: number): LocalDate {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

function isRealDate(text: string): boolean {
  if (!DATE.test(text)) return false;
  const [y, m, d] = text.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/**
 * Checks one value against its field, as the citizen will be told: the first problem
 * only, so the message under the field is short. `today` is the hall-local date.
 */
export function validateField(field: FormField, value: FieldValue, today: LocalDate): FieldProblem | undefined {
  const empty = value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
  if (empty) return field.required ? { key: 'required' } : undefined;
  if (Array.isArray(value)) return undefined;
  const text = String(value).trim();
  const length = Array.from(text).length;
  switch (field.kind) {
    case 'id_number':
      return parseIdNumber(text, today).ok ? undefined : { key: 'idNumber' };
    case 'phone':
      return MOBILE.test(text) || LANDLINE.test(text) ? undefined : { key: 'phone' };
    case 'date': {
      if (!isRealDate(text)) return { key: 'date' };
      if (field.minDaysFromToday !== undefined && text < dayOffset(today, field.minDaysFromToday)) return { key: 'dateRange' };
      if (field.maxDaysFromToday !== undefined && text > dayOffset(today, field.maxDaysFromToday)) return { key: 'dateRange' };
      return undefined;
    }
    case 'number': {
      const n = Number(text);
      if (text === '' || !Number.isFinite(n)) return { key: 'number' };
      if ((field.min !== undefined && n < field.min) || (field.max !== undefined && n > field.max)) return { key: 'numberRange' };
      return undefined;
    }
    case 'choice':
      return field.options && !field.options.some((o) => o.value === text) ? { key: 'required' } : undefined;
    default:
      if (field.minLength !== undefined && length < field.minLength) return { key: 'minLength', count: field.minLength };
      if (field.maxLength !== undefined && length > field.maxLength) return { key: 'maxLength', count: field.maxLength };
      if (field.pattern !== undefined && !new RegExp(`^(?:${field.pattern})$`, 'u').test(text)) return { key: 'pattern' };
      return undefined;
  }
}

/** Problems of a whole form by field id; fields filled by the station (`autofilled`) are not checked here. */
export function validateForm(
  form: FormSchema,
  values: Readonly<Record<string, FieldValue>>,
  autofilled: ReadonlySet<string>,
  today: LocalDate,
): Record<string, FieldProblem> {
  const problems: Record<string, FieldProblem> = {};
  for (const field of form.sections.flatMap((s) => s.fields)) {
    if (autofilled.has(field.id)) continue;
    const problem = validateField(field, values[field.id], today);
    if (problem) problems[field.id] = problem;
  }
  return problems;
}
