import { IdentityCheckSchema } from '@hall/shared';
import type { CitizenStanding } from './role';

const StandingReply = IdentityCheckSchema.shape.standing.unwrap();

/**
 * 信用情况 from the central API by keyed ID hash (POST: the hash stays out of URLs and logs),
 * as the counter device. A clerk is waiting with the citizen: no answer in time means none.
 */
export function httpStanding(apiUrl: string, hallId: string, authHeaders: () => Record<string, string>, timeoutMs = 1500): CitizenStanding {
  const url = `${apiUrl.replace(/\/+$/, '')}/api/v1/halls/${encodeURIComponent(hallId)}/citizen-standing`;
  return async (idHash) => {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...authHeaders() },
        body: JSON.stringify({ idHash }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!response.ok) return undefined;
      const parsed = StandingReply.safeParse(await response.json());
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  };
}
