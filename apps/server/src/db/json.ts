import type { z } from 'zod';
import type { LocalizedText } from '@hall/shared';

/** A stored JSON column failed its schema: the database was written around this server. */
export class StoredDataError extends Error {
  constructor(what: string, detail: string) {
    super(`stored ${what} is invalid: ${detail}`);
    this.name = 'StoredDataError';
  }
}

/** Validates before writing, so nothing the schema rejects ever reaches a JSON column. */
export function encodeJson<S extends z.ZodType>(schema: S, value: z.input<S>): string {
  return JSON.stringify(schema.parse(value));
}

export function decodeJson<S extends z.ZodType>(schema: S, text: string, what: string): z.output<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new StoredDataError(what, 'not JSON');
  }
  const result = schema.safeParse(raw);
  if (!result.success) throw new StoredDataError(what, result.error.issues.map((i) => i.message).join('; '));
  return result.data;
}

export function localized(zh: string, en: string | null): LocalizedText {
  return en === null ? { zh } : { zh, en };
}

/** Optional domain fields become NULL columns and come back as absent, not null. */
export function orNull<T>(value: T | undefined): T | null {
  return value === undefined ? null : value;
}

export function orUndefined<T>(value: T | null): T | undefined {
  return value === null ? undefined : value;
}

export function toFlag(value: boolean): 0 | 1 {
  return value ? 1 : 0;
}

/** pg returns COUNT(*) as a string (bigint), SQLite as a number. */
export function toCount(value: string | number | bigint | null | undefined): number {
  return value === null || value === undefined ? 0 : Number(value);
}
