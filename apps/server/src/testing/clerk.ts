import type { FastifyInstance } from 'fastify';
import { randomBytes } from 'node:crypto';
import { CLERK_PROOF_FIELD, COUNTER_BOUND_TYPES, SYNC_HEADERS, SYNC_PROTOCOL_VERSION, SYNC_SCHEMA_VERSION, uuidV7, type Mutation } from '@hall/shared';
// Tests sign counter mutations as a counter station does; the server itself never imports the station.
import { ClerkSessionProver } from '@hall/station';
import { FIXTURE_PASSWORD } from './fixture';

const COUNTER_BOUND: ReadonlySet<string> = new Set(COUNTER_BOUND_TYPES);

/**
 * Signs `login` in at a counter device through the real endpoint and opens a session, as
 * the counter station does: the returned prover signs that device's counter mutations.
 */
export async function signInClerk(
  app: FastifyInstance,
  device: { id: string; credential: string; counterId: string },
  login: string,
  options: { password?: string; startedAt?: string } = {},
): Promise<ClerkSessionProver> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/sync/clerk-sign-in',
    headers: { [SYNC_HEADERS.protocol]: String(SYNC_PROTOCOL_VERSION), [SYNC_HEADERS.schema]: String(SYNC_SCHEMA_VERSION), authorization: `Bearer ${device.credential}` },
    payload: { login, password: options.password ?? FIXTURE_PASSWORD },
  });
  if (response.statusCode !== 200) throw new Error(`clerk sign-in ${login} at ${device.id}: ${response.statusCode} ${response.body}`);
  const body = response.json() as { staff: { id: string }; clerkKey: { id: string; secret: string } };
  return new ClerkSessionProver(
    { id: body.clerkKey.id, secret: Buffer.from(body.clerkKey.secret, 'base64url') },
    { session: uuidV7(Date.now(), randomBytes(10)), staffId: body.staff.id, deviceId: device.id, counterId: device.counterId, startedAt: options.startedAt ?? new Date().toISOString() },
  );
}

/** The mutation as the signed-in clerk's station commits it: naming the clerk (unless it names one), with the session's proof. Other types pass unchanged. */
export function proven(prover: ClerkSessionProver, mutation: Mutation): Mutation {
  if (!COUNTER_BOUND.has(mutation.type)) return mutation;
  const payload = { staffId: prover.facts.staffId, ...mutation.payload };
  return { ...mutation, payload: { ...payload, [CLERK_PROOF_FIELD]: prover.prove({ ...mutation, payload }) } };
}
