import { z } from 'zod';
import { IdSchema, TimestampSchema } from '../domain/index';
import { canonicalJson } from './canonicalJson';
import { DEVICE_PROOF_FIELD } from './deviceProof';
import type { Mutation } from './mutation';

/**
 * Evidence that a clerk signed in at the counter station that made a counter mutation.
 *
 * At an online sign-in the central API hands the station a clerk key for this clerk on this
 * device (32 random bytes, kept by the server sealed). The station keeps it only wrapped
 * under the clerk's password, so it can open it again at an offline sign-in and nowhere
 * else. Each sign-in opens a session: the station MACs a session statement with the clerk
 * key, derives a session key from it, and MACs every counter mutation of the session with
 * that. The server, holding the clerk key, checks both MACs later: online or offline, and
 * when a hall peer relays the mutation, since a peer without the session key cannot forge
 * one. The MACs are HMAC-SHA-256; this module only builds the messages (no Node APIs here).
 */
export const CLERK_PROOF_FIELD = 'clerkProof';

/** How long one sign-in lasts: the server refuses counter mutations made later in it. */
export const CLERK_SESSION_HOURS = 12;

/** Slack for a mutation made "before" its session started: the same station's clock, but HLC may nudge it. */
export const CLERK_SESSION_EARLY_MS = 60_000;

const Base64Url = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'expected 32 bytes in base64url');

export const ClerkProofSchema = z
  .object({
    /** The clerk key's id: a password change retires a key, and sessions opened after that are refused. */
    keyId: IdSchema,
    session: IdSchema,
    staffId: IdSchema,
    counterId: IdSchema,
    startedAt: TimestampSchema,
    /** HMAC(clerk key, clerkSessionStatement). */
    sessionMac: Base64Url,
    /** HMAC(session key, clerkMutationMessage). */
    mac: Base64Url,
  })
  .strict();
export type ClerkProof = z.infer<typeof ClerkProofSchema>;

export interface ClerkSessionFacts {
  keyId: string;
  session: string;
  staffId: string;
  deviceId: string;
  counterId: string;
  startedAt: string;
}

export function clerkSessionStatement(s: ClerkSessionFacts): string {
  return ['hall-clerk-session/v1', s.keyId, s.session, s.staffId, s.deviceId, s.counterId, s.startedAt].join('\n');
}

/** What the session key is derived from: HMAC(clerk key, this). */
export function clerkSessionKeyLabel(session: string): string {
  return `hall-clerk-session-key/v1\n${session}`;
}

/**
 * What the session key MACs: the mutation as made (not its epoch or seq, which a restored
 * station renumbers), without the proofs it carries.
 */
export function clerkMutationMessage(m: Pick<Mutation, 'id' | 'deviceId' | 'type' | 'hlc' | 'payload'>): string {
  // The device proof is made after this one, over the payload with it.
  const { [CLERK_PROOF_FIELD]: _proof, [DEVICE_PROOF_FIELD]: _device, ...payload } = m.payload;
  return ['hall-clerk-mutation/v1', m.id, m.deviceId, m.type, m.hlc, canonicalJson(payload)].join('\n');
}

/** The staff id a counter mutation names (queue commands, case outcomes and ratings all carry it as `staffId`). */
export function mutationStaffId(payload: Record<string, unknown>): string | undefined {
  return typeof payload.staffId === 'string' ? payload.staffId : undefined;
}
