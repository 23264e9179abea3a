import { AppointmentSchema, type Appointment } from '@hall/shared';
import type { StationConfig } from '../../config/schema';
import { API_BASE_PATH, type SyncClient } from '../../sync/client';
import type { BlacklistCheck, BlacklistList } from './blacklist';
import type { BarredCitizen } from './repository';

/*
 * The kiosk's reads from the central API besides sync (blacklist, appointments), moved here
 * unchanged from apps/kiosk/src/main/station.ts when the kiosk became a role definition.
 */

/** The station's authenticated link to the central API. */
interface CentralLink {
  client: SyncClient;
}

export function centralBlacklist(config: StationConfig, runtime: CentralLink): BlacklistCheck {
  const url = `${config.apiUrl.replace(/\/+$/, '')}${API_BASE_PATH}/blacklist/check`;
  return async (idHash, day) => {
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...runtime.client.authHeaders() },
        body: JSON.stringify({ idHash, date: day }),
        // A citizen is waiting: without an answer in time the kiosk issues (offline rule).
        signal: AbortSignal.timeout(1500),
      });
    } catch {
      return undefined;
    }
    if (!response.ok) return undefined;
    const body = (await response.json().catch(() => undefined)) as { blacklisted?: boolean; until?: string; reason?: string; source?: unknown } | undefined;
    if (body?.blacklisted === true && typeof body.until === 'string') {
      return { blacklisted: true, until: body.until, reason: body.reason ?? '', ...(typeof body.source === 'string' ? { source: body.source } : {}) };
    }
    return body?.blacklisted === false ? { blacklisted: false } : undefined;
  };
}

/** The hall's blacklist (keyed hashes, reasons, end dates) for the offline check; undefined when the API does not answer. */
export function centralBlacklistList(config: StationConfig, runtime: CentralLink): BlacklistList {
  const url = `${config.apiUrl.replace(/\/+$/, '')}${API_BASE_PATH}/halls/${encodeURIComponent(config.hallId)}/blacklist/hashes`;
  return async () => {
    try {
      const response = await fetch(url, { headers: runtime.client.authHeaders(), signal: AbortSignal.timeout(5000) });
      if (!response.ok) return undefined;
      const body = (await response.json()) as { entries?: unknown };
      if (!Array.isArray(body.entries)) return undefined;
      const entries = body.entries as Partial<BarredCitizen>[];
      const valid = entries.filter(
        (e): e is BarredCitizen => typeof e.idHash === 'string' && typeof e.reason === 'string' && typeof e.until === 'string' && (e.source === undefined || typeof e.source === 'string'),
      );
      return valid.length === entries.length ? valid : undefined;
    } catch {
      return undefined;
    }
  };
}

/**
 * The hall's appointments for a day from the central API (only the keyed ID hash and the
 * masked name of each citizen); undefined when the API does not answer in time, and the
 * kiosk then checks in from the list it stored last.
 */
export function centralAppointments(config: StationConfig, runtime: CentralLink): (day: string) => Promise<Appointment[] | undefined> {
  const base = `${config.apiUrl.replace(/\/+$/, '')}${API_BASE_PATH}/halls/${encodeURIComponent(config.hallId)}/appointments`;
  return async (day) => {
    try {
      const response = await fetch(`${base}?date=${day}`, { headers: runtime.client.authHeaders(), signal: AbortSignal.timeout(1500) });
      if (!response.ok) return undefined;
      const body = (await response.json()) as { appointments?: unknown };
      const parsed = AppointmentSchema.array().safeParse(body.appointments);
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  };
}
