import { z } from 'zod';
import { IdSchema, LocalDateSchema } from '../domain/common';

/**
 * 放号密码 (release password): what a floor guide (导办) types at a kiosk to issue an on-site
 * ticket (现场号) or a special ticket (特殊号) for a priority group the ID card does not
 * reveal (残疾人, 军人, 孕妇, 企业 …). A hall manager creates it in the console for one hall,
 * one day and one kind, for a number of uses; it lapses at the end of that day.
 *
 * Offline without minting power: the code is 8 random digits; the central API keeps and
 * hands the kiosks only a verifier, SHA-256 of PBKDF2-SHA-256(code, salt). The kiosk checks a
 * typed code against the verifiers of today, and puts the PBKDF2 output (the "proof") on
 * the ticket's issueTicket mutation; the server checks SHA-256(proof) against the verifier.
 * A stolen kiosk (or a copy of the server's database) holds only verifiers: to get a usable
 * proof it must brute-force PBKDF2 over 10^8 codes per password, which costs far more than
 * the password's one-day life. The hashing itself needs Node (station, server); this module
 * holds the rules and messages only.
 */
export const ReleaseKindSchema = z.enum(['on_site', 'special']);
export type ReleaseKind = z.infer<typeof ReleaseKindSchema>;

export const RELEASE_CODE_DIGITS = 8;
export const RELEASE_CODE_PATTERN = /^\d{8}$/;
/** PBKDF2-SHA-256 cost: ~30 ms per check on a kiosk PC; a day holds only a few passwords. */
export const RELEASE_PBKDF2_ITERATIONS = 60_000;
export const RELEASE_MAX_USES = 50;

/** Preset reasons a guide picks (the console's supervision list shows them); "other" wants a note. */
export const RELEASE_REASONS = ['elderly_helped', 'disability', 'military', 'pregnant', 'enterprise', 'urgent', 'system_fault', 'other'] as const;
export const ReleaseReasonSchema = z.enum(RELEASE_REASONS);
export type ReleaseReason = z.infer<typeof ReleaseReasonSchema>;

const Base64Url32 = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'expected 32 bytes in base64url');

/** What a kiosk receives (catalogue `releases`): enough to check a code, not to make one. */
export const ReleaseVerifierSchema = z
  .object({
    id: IdSchema,
    /** Per hall and day, 1, 2, 3 …: what the supervision list and the guide's slip name. */
    serial: z.number().int().positive(),
    day: LocalDateSchema,
    kind: ReleaseKindSchema,
    /** A special ticket's priority group (a group of the hall's calling rules). */
    priorityGroupId: IdSchema.optional(),
    maxUses: z.number().int().min(1).max(RELEASE_MAX_USES),
    /** Uses the central API had recorded when it sent this list. */
    used: z.number().int().min(0),
    salt: Base64Url32,
    verifier: Base64Url32,
  })
  .strict();
export type ReleaseVerifier = z.infer<typeof ReleaseVerifierSchema>;

/** The release a released ticket's issueTicket carries: which password, the proof, why. */
export const ReleaseClaimSchema = z
  .object({
    passwordId: IdSchema,
    serial: z.number().int().positive(),
    kind: ReleaseKindSchema,
    maxUses: z.number().int().min(1).max(RELEASE_MAX_USES),
    /** PBKDF2(code, salt): only someone who typed the code has it. */
    proof: Base64Url32,
    reason: ReleaseReasonSchema,
    note: z.string().trim().max(100).optional(),
  })
  .strict()
  .refine((r) => r.reason !== 'other' || (r.note ?? '').length > 0, { message: 'the reason "other" needs a note' });
export type ReleaseClaim = z.infer<typeof ReleaseClaimSchema>;

/** How a kiosk or the server refuses a release, each with the guide's words in the kiosk's i18n. */
export type ReleaseRefusalCode = 'release_wrong' | 'release_expired' | 'release_used' | 'release_revoked' | 'release_mismatch';

/** Priority groups an ID card reveals (an age): the kiosk decides them, no release needed. */
export function priorityGroupNeedsRelease(group: { minAge?: number | undefined } | undefined): boolean {
  return group !== undefined && group.minAge === undefined;
}

/** Uses of a password on the tickets a station or the server knows of. */
export function releaseUses(tickets: Iterable<{ releasePasswordId?: string | undefined }>, passwordId: string): number {
  let uses = 0;
  for (const t of tickets) if (t.releasePasswordId === passwordId) uses++;
  return uses;
}
