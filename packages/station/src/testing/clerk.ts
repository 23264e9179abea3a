import { openClerkSession } from '../clerk/session';
import type { StationRuntime } from '../runtime';

/**
 * Signs a clerk in at a counter station that runs without the counter role (sync and mesh
 * tests drive its core directly): through the real sign-in endpoint, retried while the
 * station is still enrolling, so its counter mutations carry a real session proof.
 */
export async function signInStationClerk(runtime: StationRuntime, login: string, password: string, timeoutMs = 15_000): Promise<void> {
  const counterId = runtime.core.identity.counterId;
  if (!counterId) throw new Error(`station ${runtime.core.identity.deviceId} serves no counter`);
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      const reply = await runtime.sync.client.clerkSignIn(login, password);
      openClerkSession(runtime.core, { id: reply.clerkKey.id, secret: Buffer.from(reply.clerkKey.secret, 'base64url') }, { staffId: reply.staff.id, counterId });
      return;
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
