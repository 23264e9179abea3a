import { existsSync } from 'node:fs';
import { CENTRAL_ROUTES, CentralApi, centralApiBase, type StationConfig } from '@hall/station';

/**
 * Development and demo only: asks the central API (as the demo hall manager) for an
 * enrollment code for this kiosk, so `npm run kiosk` works against a fresh demo server.
 * Production kiosks get their code from an administrator in the config file.
 */
export async function demoEnrollmentCode(config: StationConfig, login: string, password: string): Promise<string> {
  const api = new CentralApi({ base: centralApiBase(config.apiUrl), timeoutMs: 5000 });
  const session = await api.require(CENTRAL_ROUTES.staffLogin, { body: { login, password } });
  const created = await api.require(CENTRAL_ROUTES.createDevice, {
    body: { id: config.deviceId, hallId: config.hallId, role: 'kiosk', name: `自助取号机 ${config.deviceId}` },
    headers: { authorization: `Bearer ${session.token}` },
  });
  return created.enrollmentCode;
}

export function needsEnrollment(config: StationConfig): boolean {
  return !existsSync(config.enrollment.credentialPath) && !config.enrollment.code;
}
