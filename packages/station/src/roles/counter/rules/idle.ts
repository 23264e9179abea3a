import type { HallState } from '@hall/shared';

/**
 * Whether the counter PC may restart now (a staged update installs only then): nobody works
 * at it. A restart signs the clerk out (the session lives in memory) and would cut a
 * citizen's service short, so a signed-in clerk, or a ticket still called to or served at
 * this counter, keeps it busy; a clerk installs an update by signing out at the end of the day.
 */
export function counterIdle(clerkSignedIn: boolean, live: HallState, counterId: string | undefined): boolean {
  if (clerkSignedIn) return false;
  if (counterId === undefined) return true;
  if (live.queue.counters[counterId]?.state.status === 'serving') return false;
  return !Object.values(live.queue.tickets).some((t) => t.counterId === counterId && (t.status === 'called' || t.status === 'serving'));
}
