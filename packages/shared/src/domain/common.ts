import { z } from 'zod';

/** Stable identifiers are short strings chosen by the hall (codes) or uuids (records). */
export const IdSchema = z.string().min(1).max(64);
export type Id = z.infer<typeof IdSchema>;

/** Localised text: Chinese is primary, English optional. */
export const LocalizedTextSchema = z.object({
  zh: z.string().min(1),
  en: z.string().min(1).optional(),
});
export type LocalizedText = z.infer<typeof LocalizedTextSchema>;

/** ISO-8601 timestamp with offset, as stored and exchanged. */
export const TimestampSchema = z.string().datetime({ offset: true });
export type Timestamp = z.infer<typeof TimestampSchema>;

/** Calendar day in the hall's local time zone, YYYY-MM-DD. */
export const LocalDateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
export type LocalDate = z.infer<typeof LocalDateSchema>;

/** Time of day in the hall's local time zone, HH:MM. */
export const LocalTimeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM');
export type LocalTime = z.infer<typeof LocalTimeSchema>;
