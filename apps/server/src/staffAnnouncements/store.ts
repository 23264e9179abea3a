import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { StaffAudienceSchema, TimestampSchema, type CatalogueStaffAnnouncement, type OfficerAnnouncement, type ReadStaffAnnouncementPayload, type StaffAudience } from '@hall/shared';
import type { Database } from '../db/schema';

interface AnnouncementTable {
  id: string;
  hall_id: string;
  title_zh: string;
  title_en: string | null;
  body_zh: string;
  body_en: string | null;
  audience: string;
  valid_from: string;
  valid_until: string | null;
  created_by: string;
  created_at: string;
  withdrawn_at: string | null;
}
interface ReadTable {
  announcement_id: string;
  staff_id: string;
  counter_id: string | null;
  read_at: string;
}
const tables = (db: Kysely<Database>) => db.withTables<{ staff_announcements: AnnouncementTable; staff_announcement_reads: ReadTable }>();

const Text = (max: number) => z.object({ zh: z.string().trim().min(1).max(max), en: z.string().trim().max(max).optional() });

/** What a hall manager writes; `validFrom` defaults to now, no `validUntil` means until withdrawn. */
export const NewAnnouncementSchema = z
  .object({
    title: Text(60),
    body: Text(2000),
    audience: StaffAudienceSchema.default('all'),
    validFrom: TimestampSchema.optional(),
    validUntil: TimestampSchema.optional(),
  })
  .strict()
  .refine((a) => a.validUntil === undefined || a.validFrom === undefined || Date.parse(a.validUntil) > Date.parse(a.validFrom), {
    message: 'validUntil must be after validFrom',
    path: ['validUntil'],
  });
export type NewAnnouncement = z.infer<typeof NewAnnouncementSchema>;

/** The console's view: the announcement with how many of its audience have read it. */
export interface StaffAnnouncement {
  id: string;
  title: { zh: string; en?: string };
  body: { zh: string; en?: string };
  audience: StaffAudience;
  validFrom: string;
  validUntil: string | null;
  createdBy: string;
  createdAt: string;
  withdrawnAt: string | null;
  readCount: number;
  audienceCount: number;
}

const text = (zh: string, en: string | null) => ({ zh, ...(en ? { en } : {}) });

export function newAnnouncementId(): string {
  return randomUUID();
}

export async function createAnnouncement(db: Kysely<Database>, hallId: string, id: string, input: NewAnnouncement, createdBy: string, at: Date): Promise<string> {
  const now = at.toISOString();
  await tables(db)
    .insertInto('staff_announcements')
    .values({
      id,
      hall_id: hallId,
      title_zh: input.title.zh,
      title_en: input.title.en || null,
      body_zh: input.body.zh,
      body_en: input.body.en || null,
      audience: input.audience,
      valid_from: input.validFrom ?? now,
      valid_until: input.validUntil ?? null,
      created_by: createdBy,
      created_at: now,
      withdrawn_at: null,
    })
    .execute();
  return id;
}

/** Withdraws it from every counter; false when the hall has no such announcement. */
export async function withdrawAnnouncement(db: Kysely<Database>, hallId: string, id: string, at: Date): Promise<boolean> {
  const result = await tables(db)
    .updateTable('staff_announcements')
    .set({ withdrawn_at: at.toISOString() })
    .where('id', '=', id)
    .where('hall_id', '=', hallId)
    .where('withdrawn_at', 'is', null)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) > 0) return true;
  const row = await tables(db).selectFrom('staff_announcements').select('id').where('id', '=', id).where('hall_id', '=', hallId).executeTakeFirst();
  return row !== undefined;
}

function inAudience(audience: string, roles: readonly string[]): boolean {
  if (audience === 'clerk') return roles.includes('clerk');
  if (audience === 'officer') return roles.includes('officer');
  return roles.includes('clerk') || roles.includes('officer');
}

/** Every announcement of the hall, newest first; reads count only the audience's active staff. */
export async function listAnnouncements(db: Kysely<Database>, hallId: string): Promise<StaffAnnouncement[]> {
  const rows = await tables(db).selectFrom('staff_announcements').selectAll().where('hall_id', '=', hallId).orderBy('created_at', 'desc').execute();
  if (rows.length === 0) return [];
  const staff = await db.selectFrom('staff').select(['id', 'roles_json']).where('hall_id', '=', hallId).where('active', '=', 1).execute();
  const rolesOf = new Map(staff.map((s) => [s.id, JSON.parse(s.roles_json) as string[]]));
  const reads = await tables(db)
    .selectFrom('staff_announcement_reads')
    .select(['announcement_id', 'staff_id'])
    .where(
      'announcement_id',
      'in',
      rows.map((r) => r.id),
    )
    .execute();
  return rows.map((r) => {
    const audience = StaffAudienceSchema.parse(r.audience);
    const readers = reads.filter((x) => x.announcement_id === r.id && inAudience(audience, rolesOf.get(x.staff_id) ?? []));
    return {
      id: r.id,
      title: text(r.title_zh, r.title_en),
      body: text(r.body_zh, r.body_en),
      audience,
      validFrom: r.valid_from,
      validUntil: r.valid_until,
      createdBy: r.created_by,
      createdAt: r.created_at,
      withdrawnAt: r.withdrawn_at,
      readCount: readers.length,
      audienceCount: [...rolesOf.values()].filter((roles) => inAudience(audience, roles)).length,
    };
  });
}

/** For the catalogue: not withdrawn and not yet expired (ones still to come travel ahead, so offline counters show them on time). */
export async function catalogueAnnouncements(db: Kysely<Database>, hallId: string, now: Date): Promise<CatalogueStaffAnnouncement[]> {
  const rows = await tables(db)
    .selectFrom('staff_announcements')
    .selectAll()
    .where('hall_id', '=', hallId)
    .where('withdrawn_at', 'is', null)
    .where((eb) => eb.or([eb('valid_until', 'is', null), eb('valid_until', '>', now.toISOString())]))
    // Newest first, so the cap (the catalogue's limit) drops the oldest.
    .orderBy('created_at', 'desc')
    .limit(200)
    .execute();
  if (rows.length === 0) return [];
  const reads = await tables(db)
    .selectFrom('staff_announcement_reads')
    .select(['announcement_id', 'staff_id'])
    .where(
      'announcement_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('staff_id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    title: text(r.title_zh, r.title_en),
    body: text(r.body_zh, r.body_en),
    audience: StaffAudienceSchema.parse(r.audience),
    validFrom: r.valid_from,
    validUntil: r.valid_until,
    readBy: reads.filter((x) => x.announcement_id === r.id).map((x) => x.staff_id),
  }));
}

/**
 * Records counters' 已阅 (push, inside its transaction). The first read counts; one for an
 * announcement of another hall or since deleted is dropped, as there is nothing to mark.
 */
export async function recordAnnouncementReads(db: Kysely<Database>, hallId: string, reads: readonly ReadStaffAnnouncementPayload[]): Promise<void> {
  if (reads.length === 0) return;
  const known = await tables(db)
    .selectFrom('staff_announcements')
    .select('id')
    .where('hall_id', '=', hallId)
    .where(
      'id',
      'in',
      reads.map((r) => r.announcementId),
    )
    .execute();
  const ids = new Set(known.map((k) => k.id));
  const rows = reads.filter((r) => ids.has(r.announcementId)).map((r) => ({ announcement_id: r.announcementId, staff_id: r.staffId, counter_id: r.counterId, read_at: r.at }));
  if (rows.length === 0) return;
  await tables(db)
    .insertInto('staff_announcement_reads')
    .values(rows)
    .onConflict((oc) => oc.columns(['announcement_id', 'staff_id']).doNothing())
    .execute();
}

/**
 * The announcements to officers (audience officer or all) in force now, newest first, with
 * whether this officer has read them: the back office is where officers see them (counters
 * get theirs in the catalogue).
 */
export async function officerAnnouncements(db: Kysely<Database>, hallId: string, staffId: string, now: Date): Promise<OfficerAnnouncement[]> {
  const at = now.toISOString();
  const rows = await tables(db)
    .selectFrom('staff_announcements')
    .selectAll()
    .where('hall_id', '=', hallId)
    .where('audience', 'in', ['officer', 'all'])
    .where('withdrawn_at', 'is', null)
    .where('valid_from', '<=', at)
    .where((eb) => eb.or([eb('valid_until', 'is', null), eb('valid_until', '>', at)]))
    .orderBy('created_at', 'desc')
    .limit(50)
    .execute();
  if (rows.length === 0) return [];
  const reads = await tables(db)
    .selectFrom('staff_announcement_reads')
    .select('announcement_id')
    .where('staff_id', '=', staffId)
    .where(
      'announcement_id',
      'in',
      rows.map((r) => r.id),
    )
    .execute();
  const read = new Set(reads.map((r) => r.announcement_id));
  return rows.map((r) => ({ id: r.id, title: text(r.title_zh, r.title_en), body: text(r.body_zh, r.body_en), validFrom: r.valid_from, read: read.has(r.id) }));
}

/** An officer's 已阅 in the back office (no counter); the first read counts. False when the hall has no such announcement. */
export async function recordOfficerRead(db: Kysely<Database>, hallId: string, announcementId: string, staffId: string, at: Date): Promise<boolean> {
  const known = await tables(db).selectFrom('staff_announcements').select('id').where('id', '=', announcementId).where('hall_id', '=', hallId).executeTakeFirst();
  if (!known) return false;
  await tables(db)
    .insertInto('staff_announcement_reads')
    .values({ announcement_id: announcementId, staff_id: staffId, counter_id: null, read_at: at.toISOString() })
    .onConflict((oc) => oc.columns(['announcement_id', 'staff_id']).doNothing())
    .execute();
  return true;
}
