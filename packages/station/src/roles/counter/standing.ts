import { CentralApi, centralApiBase } from '../../central/client';
import { CENTRAL_ROUTES } from '../../central/routes';
import type { CitizenStanding } from './role';

/**
 * 信用情况 from the central API by keyed ID hash (POST: the hash stays out of URLs and logs),
 * as the counter device. A clerk is waiting with the citizen: no answer in time means none.
 */
export function httpStanding(apiUrl: string, hallId: string, authHeaders: () => Record<string, string>, timeoutMs = 1500): CitizenStanding {
  const api = new CentralApi({ base: centralApiBase(apiUrl), headers: authHeaders, timeoutMs });
  return async (idHash) => {
    const answer = await api.call(CENTRAL_ROUTES.citizenStanding, { params: { hallId }, body: { idHash } });
    return answer.ok ? answer.value : undefined;
  };
}
