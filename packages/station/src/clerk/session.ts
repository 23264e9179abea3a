import { createHmac, randomBytes } from 'node:crypto';
import {
  CLERK_SESSION_HOURS,
  clerkMutationMessage,
  clerkSessionKeyLabel,
  clerkSessionStatement,
  uuidV7,
  type ClerkProof,
  type ClerkSessionFacts,
  type Mutation,
} from '@hall/shared';

/** The clerk key the central API issued for this clerk on this device (clerkProof.ts in shared). */
export interface ClerkKey {
  id: string;
  secret: Buffer;
}

const hmac = (key: Buffer, message: string): Buffer => createHmac('sha256', key).update(message).digest();

/**
 * One clerk's sign-in at this counter: proves each counter mutation made in it. The clerk
 * key itself is not kept, only the session key derived from it, so a session cannot be
 * stretched into another one.
 */
export class ClerkSessionProver {
  readonly facts: Omit<ClerkSessionFacts, 'deviceId'>;
  private readonly sessionMac: string;
  private readonly sessionKey: Buffer;
  readonly expiresAtMs: number;

  constructor(key: ClerkKey, facts: Omit<ClerkSessionFacts, 'keyId'>) {
    this.facts = { keyId: key.id, session: facts.session, staffId: facts.staffId, counterId: facts.counterId, startedAt: facts.startedAt };
    this.sessionMac = hmac(key.secret, clerkSessionStatement({ ...facts, keyId: key.id })).toString('base64url');
    this.sessionKey = hmac(key.secret, clerkSessionKeyLabel(facts.session));
    this.expiresAtMs = Date.parse(facts.startedAt) + CLERK_SESSION_HOURS * 3_600_000;
  }

  prove(mutation: Pick<Mutation, 'id' | 'deviceId' | 'type' | 'hlc' | 'payload'>): ClerkProof {
    return { ...this.facts, sessionMac: this.sessionMac, mac: hmac(this.sessionKey, clerkMutationMessage(mutation)).toString('base64url') };
  }
}

/**
 * Opens a clerk session at this counter with a clerk key, started now by the station's
 * clock (the one its mutations' times come from): the core then proves every counter
 * mutation made in it. CounterRole does this at each sign-in, online or offline.
 */
export function openClerkSession(
  core: { identity: { deviceId: string }; at(): string; setClerkSession(session: ClerkSessionProver | undefined): void },
  key: ClerkKey,
  clerk: { staffId: string; counterId: string },
): ClerkSessionProver {
  const startedAt = core.at();
  const session = new ClerkSessionProver(key, { ...clerk, session: uuidV7(Date.parse(startedAt), randomBytes(10)), deviceId: core.identity.deviceId, startedAt });
  core.setClerkSession(session);
  return session;
}
