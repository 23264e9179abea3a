import { z } from 'zod';
import { IdSchema, LocalizedTextSchema, TimestampSchema } from '../domain/index';

/**
 * 系统通知公告 (issue 20): what a hall manager tells the hall's staff. Counters show each one
 * to a signed-in clerk until the clerk presses 已阅; officers read theirs in the back office.
 */
export const STAFF_AUDIENCES = ['all', 'clerk', 'officer'] as const;
export const StaffAudienceSchema = z.enum(STAFF_AUDIENCES);
export type StaffAudience = z.infer<typeof StaffAudienceSchema>;

/** As the catalogue carries it to stations: live ones only, with who has read each already. */
export const CatalogueStaffAnnouncementSchema = z.object({
  id: IdSchema,
  title: LocalizedTextSchema,
  body: LocalizedTextSchema,
  audience: StaffAudienceSchema,
  validFrom: TimestampSchema,
  validUntil: TimestampSchema.nullable(),
  /** Staff ids whose 已阅 reached the central API (any counter), so another window does not ask again. */
  readBy: z.array(IdSchema),
});
export type CatalogueStaffAnnouncement = z.infer<typeof CatalogueStaffAnnouncementSchema>;

/** One announcement in an officer's back-office inbox (GET /halls/:hallId/back-office/announcements). */
export interface OfficerAnnouncement {
  id: string;
  title: z.infer<typeof LocalizedTextSchema>;
  body: z.infer<typeof LocalizedTextSchema>;
  validFrom: string;
  /** This officer pressed 已阅. */
  read: boolean;
}

/** Whether a clerk (role `clerk`) at `now` is shown the announcement: the audience fits and it is in force. */
export function announcementForClerk(a: CatalogueStaffAnnouncement, now: string): boolean {
  if (a.audience === 'officer') return false;
  const t = Date.parse(now);
  return Date.parse(a.validFrom) <= t && (a.validUntil === null || t < Date.parse(a.validUntil));
}
