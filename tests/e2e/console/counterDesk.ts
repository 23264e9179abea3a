import { randomBytes } from 'node:crypto';
import { SYNC_HEADERS, SYNC_PROTOCOL_VERSION, SYNC_SCHEMA_VERSION, uuidV7, type Mutation, type PushResponse } from '@hall/shared';
import { proven } from '../../../apps/server/src/testing/clerk';
// A counter signs its clerk's mutations as the counter station does.
import { ClerkSessionProver } from '@hall/station';
import type { HallCentral } from '../harness/central';

const VERSIONS = { [SYNC_HEADERS.protocol]: String(SYNC_PROTOCOL_VERSION), [SYNC_HEADERS.schema]: String(SYNC_SCHEMA_VERSION) };

async function post<T>(central: HallCentral, path: string, body: unknown, credential?: string): Promise<T> {
  const response = await fetch(`${central.url}/api/v1${path}`, {
    method: 'POST',
    headers: { ...VERSIONS, 'content-type': 'application/json', ...(credential ? { authorization: `Bearer ${credential}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/**
 * A counter desk over the real sync API: an enrolled counter device with a clerk signed in,
 * pushing that clerk's proven mutations one at a time (what the counter station's outbox
 * sends), so the console's back office sees cases the way a hall makes them.
 */
export async function counterDesk(central: HallCentral, options: { deviceId: string; counterId: string; login: string; password: string; sessionStartedAt?: Date }) {
  const code = await central.enrollmentCode(options.deviceId, 'counter', options.counterId);
  const { credential } = await post<{ credential: string }>(central, '/sync/enroll', { code });
  if (options.sessionStartedAt) {
    // A desk replaying an offline day: its device has served since well before then.
    const since = new Date(options.sessionStartedAt.getTime() - 30 * 86_400_000).toISOString();
    await central.database.db.updateTable('devices').set({ created_at: since }).where('id', '=', options.deviceId).execute();
  }
  const signedIn = await post<{ staff: { id: string }; clerkKey: { id: string; secret: string } }>(central, '/sync/clerk-sign-in', { login: options.login, password: options.password }, credential);
  const prover = new ClerkSessionProver(
    { id: signedIn.clerkKey.id, secret: Buffer.from(signedIn.clerkKey.secret, 'base64url') },
    { session: uuidV7(Date.now(), randomBytes(10)), staffId: signedIn.staff.id, deviceId: options.deviceId, counterId: options.counterId, startedAt: (options.sessionStartedAt ?? new Date()).toISOString() },
  );
  const epoch = `epoch-${randomBytes(4).toString('hex')}`;
  let seq = 0;
  return {
    staffId: signedIn.staff.id,
    /** Pushes one mutation and answers the central API's verdict on it. */
    async push(type: string, payload: Record<string, unknown>): Promise<PushResponse['results'][number]> {
      seq += 1;
      const mutation = { id: uuidV7(Date.now(), randomBytes(10)), deviceId: options.deviceId, epoch, seq, type, payload: { at: new Date().toISOString(), counterId: options.counterId, ...payload }, hlc: `h-${seq}` } as Mutation;
      const response = await post<PushResponse>(central, '/sync/push', { epoch, mutations: [proven(prover, mutation)] }, credential);
      return response.results[0]!;
    },
  };
}
