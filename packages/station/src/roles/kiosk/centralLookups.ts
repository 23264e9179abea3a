import type { Appointment } from '@hall/shared';
import { CentralApi, centralApiBase } from '../../central/client';
import { CENTRAL_ROUTES } from '../../central/routes';
import type { StationConfig } from '../../config/schema';
import type { BlacklistCheck, BlacklistList } from './blacklist';

/*
 * The kiosk's lookups at the central API. Each answers undefined when the API cannot be
 * asked or does not answer in time, and the kiosk then decides from what it holds (the
 * offline rule): a refused or unreadable answer counts as no answer too.
 */

type KioskCentralConfig = Pick<StationConfig, 'apiUrl' | 'hallId'>;
/** The running station, for its device credential (it changes after enrollment). */
type Credentialed = { client: { authHeaders(): Record<string, string> } };

function kioskApi(config: KioskCentralConfig, runtime: Credentialed): CentralApi {
  return new CentralApi({ base: centralApiBase(config.apiUrl), headers: () => runtime.client.authHeaders() });
}

/** One citizen's bar at the central API, asked when the citizen is identified. */
export function centralBlacklist(config: KioskCentralConfig, runtime: Credentialed): BlacklistCheck {
  const api = kioskApi(config, runtime);
  return async (idHash, day) => {
    // A citizen is waiting: without an answer in time the kiosk issues (offline rule).
    const answer = await api.call(CENTRAL_ROUTES.blacklistCheck, { body: { idHash, date: day }, timeoutMs: 1500 });
    if (!answer.ok) return undefined;
    const check = answer.value;
    if (!check.blacklisted) return { blacklisted: false };
    return { blacklisted: true, until: check.until, reason: check.reason ?? '', ...(check.source === undefined ? {} : { source: check.source }) };
  };
}

/** The hall's blacklist (keyed hashes, reasons, end dates) for the offline check. */
export function centralBlacklistList(config: KioskCentralConfig, runtime: Credentialed): BlacklistList {
  const api = kioskApi(config, runtime);
  return async () => {
    const answer = await api.call(CENTRAL_ROUTES.blacklistHashes, { params: { hallId: config.hallId }, timeoutMs: 5000 });
    return answer.ok ? answer.value.entries : undefined;
  };
}

/**
 * The hall's appointments for a day (only the keyed ID hash and the masked name of each
 * citizen); without an answer in time the kiosk checks in from the list it stored last.
 */
export function centralAppointments(config: KioskCentralConfig, runtime: Credentialed): (day: string) => Promise<Appointment[] | undefined> {
  const api = kioskApi(config, runtime);
  return async (day) => {
    const answer = await api.call(CENTRAL_ROUTES.appointments, { params: { hallId: config.hallId, day }, timeoutMs: 1500 });
    return answer.ok ? answer.value.appointments : undefined;
  };
}
