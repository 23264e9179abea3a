// Counter clerks for benches that drive the sync protocol without a counter role.
import { randomBytes } from 'node:crypto';
import { FIXTURE_PASSWORD } from '../apps/server/src/testing/fixture';
import { uuidV7 } from '@hall/shared';
import { ClerkSessionProver, SyncHttpError, type SyncClient } from '@hall/station';

/**
 * The hall's clerk signs in at a counter device, as at the start of the day. Sign-ins are
 * password checks: the API's login limits answer 429/503 when a whole city signs in at once,
 * and the bench waits as a clerk would.
 */
export async function signInCounterClerk(client: SyncClient, station: { id: string }, login: string, counterId: string): Promise<ClerkSessionProver> {
  for (let attempt = 0; ; attempt++) {
    try {
      const reply = await client.clerkSignIn(login, FIXTURE_PASSWORD);
      const key = { id: reply.clerkKey.id, secret: Buffer.from(reply.clerkKey.secret, 'base64url') };
      return new ClerkSessionProver(key, { session: uuidV7(Date.now(), randomBytes(10)), staffId: reply.staff.id, deviceId: station.id, counterId, startedAt: new Date().toISOString() });
    } catch (error) {
      const busy = error instanceof SyncHttpError && (error.status === 429 || error.status === 503);
      if (!busy || attempt > 600) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(5_000, (error.retryAfterSeconds ?? 1) * 1000)));
    }
  }
}

