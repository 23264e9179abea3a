import { existsSync } from 'node:fs';
import { SYNC_PATHS } from '@hall/shared';
import { API_BASE_PATH, type StationConfig } from '@hall/station';

/**
 * Development and demo only: asks the central API (as the demo hall manager) for an
 * enrollment code for this kiosk, so `npm run kiosk` works against a fresh demo server.
 * Production kiosks get their code from an administrator in the config file.
 */
export async function demoEnrollmentCode(config: StationConfig, login: string, password: string): Promise<string> {
  const base = `${config.apiUrl.replace(/\/+$/, '')}${API_BASE_PATH}`;
  const post = async (path: string, body: unknown, token?: string) => {
    const response = await fetch(base + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(5000),
    });
    const json = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${JSON.stringify(json.error ?? json)}`);
    return json;
  };
  const session = await post('/auth/login', { login, password });
  const created = await post(
    SYNC_PATHS.devices,
    { id: config.deviceId, hallId: config.hallId, role: 'kiosk', name: `自助取号机 ${config.deviceId}` },
    String(session.token),
  );
  return String(created.enrollmentCode);
}

export function needsEnrollment(config: StationConfig): boolean {
  return !existsSync(config.enrollment.credentialPath) && !config.enrollment.code;
}
