import { z } from 'zod';
import { IdSchema, TimestampSchema } from '../domain/index';
import { HallLinkSchema } from './hallLink';

/** Wall display: how the hall wants the screen and the voice (from the display station's config). */
export const DisplaySettingsSchema = z.object({
  /** `auto` follows the screen's aspect ratio. */
  orientation: z.enum(['auto', 'landscape', 'portrait']),
  /** Citizens' names beside called numbers: masked (张*三) or not shown at all. */
  names: z.enum(['masked', 'hidden']),
  /** A second, English line under each Mandarin call text. */
  englishLine: z.boolean(),
  /** Announcement volume, 0…1. */
  volume: z.number().min(0).max(1),
  /** Calls in the "recent calls" list. */
  historySize: z.number().int().min(1).max(20),
});
export type DisplaySettings = z.infer<typeof DisplaySettingsSchema>;

/** One call as the wall shows it; `key` (ticket id + call instant) identifies it on every path. */
export const DisplayCallSchema = z.object({
  key: z.string(),
  ticketId: IdSchema,
  ticketNumber: z.string(),
  counterId: IdSchema,
  counterNumber: z.string(),
  kind: z.enum(['call', 'recall']),
  calledAt: TimestampSchema,
  /** Which path brought it first: the LAN feed from the counter or sync via the central API. */
  source: z.enum(['lan', 'sync']),
  /** Already masked at the kiosk; absent when the hall hides names. */
  maskedName: z.string().optional(),
  /** A 咨询号: the wall says so beside the number. */
  consultation: z.boolean().optional(),
});
export type DisplayCall = z.infer<typeof DisplayCallSchema>;

export const DisplayCounterSchema = z.object({
  id: IdSchema,
  number: z.string(),
  name: z.string(),
  status: z.enum(['closed', 'open', 'serving', 'paused']),
  reason: z.string().optional(),
  servingTicketNumber: z.string().optional(),
});
export type DisplayCounter = z.infer<typeof DisplayCounterSchema>;

export const DisplayQueueSchema = z.object({
  id: IdSchema,
  prefix: z.string(),
  name: z.string(),
  waiting: z.number().int().min(0),
  /** Estimated wait of a ticket issued now, whole minutes; null when unknown (no history or no open counter). */
  waitMinutes: z.number().int().min(0).nullable(),
});
export type DisplayQueue = z.infer<typeof DisplayQueueSchema>;

/** A call still to be spoken, oldest first; the renderer plays each once and reports it. */
export const PendingAnnouncementSchema = z.object({
  key: z.string(),
  ticketNumber: z.string(),
  counterNumber: z.string(),
  kind: z.enum(['call', 'recall']),
  text: z.string(),
});
export type PendingAnnouncement = z.infer<typeof PendingAnnouncementSchema>;

export const DisplayStateSchema = z.object({
  hallName: z.string(),
  settings: DisplaySettingsSchema,
  latest: DisplayCallSchema.nullable(),
  /** Newest first, `latest` included. */
  recent: z.array(DisplayCallSchema),
  counters: z.array(DisplayCounterSchema),
  queues: z.array(DisplayQueueSchema),
  notices: z.array(z.string()),
  announcements: z.array(PendingAnnouncementSchema),
  /** Whether the central API is reachable; the LAN feed keeps calls coming either way. */
  online: z.boolean(),
  /** Where the display stands in its hall (connected / with N stations / alone); absent before the first sync verdict. */
  hall: HallLinkSchema.optional(),
});
export type DisplayState = z.infer<typeof DisplayStateSchema>;

export const AnnouncementClipSchema = z.object({
  mimeType: z.literal('audio/wav'),
  dataBase64: z.string(),
  durationMs: z.number().min(0),
});
export type AnnouncementClip = z.infer<typeof AnnouncementClipSchema>;
