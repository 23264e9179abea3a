import { z } from 'zod';
import { LocalizedTextSchema } from '../domain/common';

/**
 * A follow link ("扫码查看排队进度") names one ticket by its id and a tag: the first 16 bytes
 * of HMAC-SHA256(followKey, ticketId) in base64url, where followKey is
 * HMAC-SHA256(the city's citizen key, FOLLOW_KEY_LABEL). The kiosk holds the citizen key
 * (delivered at enrollment), so it signs links while the central API is away, and the
 * API checks them with the same key. The link carries no personal data, and without the
 * key no one can turn one ticket's link into another's.
 */
export const FOLLOW_KEY_LABEL = 'hall-follow-link/v1';
/** Tag length in base64url characters (16 bytes). */
export const FOLLOW_TAG_LENGTH = 22;

const REFERENCE = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([A-Za-z0-9_-]{22})$/;

export interface FollowReference {
  ticketId: string;
  tag: string;
}

export function formatFollowReference(ticketId: string, tag: string): string {
  return `${ticketId}.${tag}`;
}

/** Undefined for anything that is not shaped like a reference (checked before any database read). */
export function parseFollowReference(text: string): FollowReference | undefined {
  const match = REFERENCE.exec(text);
  return match ? { ticketId: match[1]!, tag: match[2]! } : undefined;
}

/** What the phone shows of a followed ticket; no name, no ID, no phone. */
export const FollowViewSchema = z.object({
  number: z.string(),
  services: z.array(LocalizedTextSchema),
  status: z.enum(['waiting', 'called', 'serving', 'finished', 'missed', 'cancelled']),
  /** Waiting: people before this ticket in its queue. */
  ahead: z.number().int().nonnegative().optional(),
  estimatedWaitMinutes: z.number().int().positive().optional(),
  /** Called or serving: the window's number ("请到 3 号窗口"). */
  counterNumber: z.string().optional(),
  calledAt: z.string().optional(),
  hallName: LocalizedTextSchema,
  day: z.string(),
});
export type FollowView = z.infer<typeof FollowViewSchema>;
