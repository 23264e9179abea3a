import { createHash, pbkdf2Sync, timingSafeEqual } from 'node:crypto';
import { RELEASE_PBKDF2_ITERATIONS, releaseUses, type ReleaseClaim, type ReleaseReason, type ReleaseVerifier, type Ticket } from '@hall/shared';

export type ReleaseCheck =
  | { ok: true; verifier: ReleaseVerifier; proof: string; remaining: number }
  | { ok: false; code: 'release_wrong' | 'release_expired' | 'release_used' };

/** PBKDF2(code, salt): the proof a released ticket carries; its SHA-256 is the verifier. */
function proofFor(code: string, salt: string): Buffer {
  return pbkdf2Sync(code, Buffer.from(salt, 'base64url'), RELEASE_PBKDF2_ITERATIONS, 32, 'sha256');
}

function opens(verifier: ReleaseVerifier, proof: Buffer): boolean {
  const expected = Buffer.from(verifier.verifier, 'base64url');
  const got = createHash('sha256').update(proof).digest();
  return expected.length === got.length && timingSafeEqual(expected, got);
}

/**
 * A floor guide's release password at the kiosk, without the central API: the code must open
 * one of the hall's verifiers (catalogue `releases`, release/release.ts in shared), be for
 * today, and have uses left. Uses are counted on the tickets this kiosk knows of (its own,
 * its hall peers' over the mesh and the server's) and on the count the server last sent, so
 * a second use here or anywhere the kiosk has heard of is refused at once; one it has not
 * heard of is refused by the engine when the mutations meet, and by the central API.
 */
export function checkRelease(code: string, verifiers: readonly ReleaseVerifier[], today: string, tickets: Iterable<Ticket>): ReleaseCheck {
  const known = [...tickets];
  // Today's first: each try costs a PBKDF2 run, and tomorrow's matter only for the message.
  const ordered = [...verifiers].sort((a, b) => Number(b.day === today) - Number(a.day === today));
  for (const verifier of ordered) {
    const proof = proofFor(code, verifier.salt);
    if (!opens(verifier, proof)) continue;
    if (verifier.day !== today) return { ok: false, code: 'release_expired' };
    const used = Math.max(verifier.used, releaseUses(known, verifier.id));
    if (used >= verifier.maxUses) return { ok: false, code: 'release_used' };
    return { ok: true, verifier, proof: proof.toString('base64url'), remaining: verifier.maxUses - used };
  }
  return { ok: false, code: 'release_wrong' };
}

/** The release the ticket's issueTicket carries. */
export function releaseClaim(check: Extract<ReleaseCheck, { ok: true }>, reason: ReleaseReason, note: string | undefined): ReleaseClaim {
  const { verifier, proof } = check;
  return { passwordId: verifier.id, serial: verifier.serial, kind: verifier.kind, maxUses: verifier.maxUses, proof, reason, ...(note ? { note } : {}) };
}
