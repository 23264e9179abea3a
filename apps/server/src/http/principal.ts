import type { StaffRole } from '@hall/shared';
import type { DeviceRole } from '../store/devices';
import { forbidden } from './errors';

/** Who is calling. Every authenticated request carries exactly one principal. */
export type Principal = StaffPrincipal | DevicePrincipal;

export interface StaffPrincipal {
  kind: 'staff';
  id: string;
  login: string;
  /** Null for city-level staff (city administrators). */
  hallId: string | null;
  roles: StaffRole[];
}

export interface DevicePrincipal {
  kind: 'device';
  id: string;
  hallId: string;
  role: DeviceRole;
  /** A counter device's counter (devices.counter_id): the only counter it may act for. */
  counterId?: string;
}

export interface AccessRule {
  /** Staff roles allowed; city_admin is always allowed. */
  staffRoles?: readonly StaffRole[];
  /** Device roles allowed; devices are refused when absent. */
  deviceRoles?: readonly DeviceRole[];
  /** The hall the action touches: hall-scoped principals must belong to it. */
  hallId?: string | null;
}

export function isAllowed(principal: Principal, rule: AccessRule): boolean {
  if (principal.kind === 'staff' && principal.roles.includes('city_admin')) return true;
  const roleOk =
    principal.kind === 'staff'
      ? (rule.staffRoles ?? []).some((role) => principal.roles.includes(role))
      : (rule.deviceRoles ?? []).includes(principal.role);
  if (!roleOk) return false;
  if (rule.hallId === undefined) return true;
  return principal.hallId !== null && principal.hallId === rule.hallId;
}

export function assertAllowed(principal: Principal, rule: AccessRule): void {
  if (!isAllowed(principal, rule)) throw forbidden();
}

/** Audit actor for a principal. */
export function actorOf(principal: Principal): { kind: 'staff' | 'device'; id: string } {
  return { kind: principal.kind, id: principal.id };
}
