import {
  AppointmentSchema,
  CaseFormsResponseSchema,
  CatalogueSchema,
  CitizenKeyResponseSchema,
  ClerkSignInResponseSchema,
  DataKeyRingSchema,
  DepositDelegationResponseSchema,
  EnrollmentCodeResponseSchema,
  EnrollResponseSchema,
  IdentityCheckSchema,
  KeySetSchema,
  LanKeyRingSchema,
  DeviceKeySchema,
  LeaseResponseSchema,
  LinkReportResponseSchema,
  LOCKER_PATHS,
  LockerEventResultSchema,
  PullResponseSchema,
  PushResponseSchema,
  SnapshotResponseSchema,
  SYNC_PATHS,
  type CaseFormQuery,
} from '@hall/shared';
import { z } from 'zod';

/**
 * Every central-API route a station calls: its method, its path under the API base
 * (/api/v1, query included) and the schema its answer must match before any station code
 * sees it. A call to the central API that is not in this table does not exist.
 */
export interface CentralRoute<Params, Schema extends z.ZodType> {
  readonly method: 'GET' | 'POST';
  readonly path: (params: Params) => string;
  readonly response: Schema;
}

function fixed<S extends z.ZodType>(method: 'GET' | 'POST', path: string, response: S): CentralRoute<void, S> {
  return { method, path: () => path, response };
}

function shaped<P, S extends z.ZodType>(method: 'GET' | 'POST', path: (params: P) => string, response: S): CentralRoute<P, S> {
  return { method, path, response };
}

const hall = (hallId: string) => `/halls/${encodeURIComponent(hallId)}`;

/** 信用情况 of one citizen (by keyed ID hash) as the central API knows it. */
const StandingResponseSchema = IdentityCheckSchema.shape.standing.unwrap();

const DepartmentsResponseSchema = z.object({
  departments: z.array(z.object({ id: z.string(), name: z.object({ zh: z.string(), en: z.string().optional() }) })),
});

const DepositCodesResponseSchema = z.object({ codes: z.array(z.object({ code: z.string(), expiresAt: z.string() })).min(1) });

/** An older central API may send no reason or a source this station does not know: those read as absent. */
const BlacklistCheckResponseSchema = z.union([
  z.object({
    blacklisted: z.literal(true),
    until: z.string(),
    reason: z.string().optional().catch(undefined),
    source: z.string().optional().catch(undefined),
  }),
  z.object({ blacklisted: z.literal(false) }),
]);

/** All or nothing: one unreadable entry makes the kiosk keep the list it holds. */
const BlacklistHashesResponseSchema = z.object({
  entries: z.array(z.object({ idHash: z.string(), reason: z.string(), until: z.string(), source: z.string().optional() })),
});

const AppointmentsResponseSchema = z.object({ appointments: AppointmentSchema.array() });

const ClerkSignOutResponseSchema = z.object({ ended: z.literal(true) });

const StaffLoginResponseSchema = z.object({ token: z.string() });

export const CENTRAL_ROUTES = {
  // The sync protocol (SyncClient).
  enroll: fixed('POST', SYNC_PATHS.enroll, EnrollResponseSchema),
  push: fixed('POST', SYNC_PATHS.push, PushResponseSchema),
  pull: shaped('GET', (p: { cursor: number; limit: number }) => `${SYNC_PATHS.pull}?cursor=${p.cursor}&limit=${p.limit}`, PullResponseSchema),
  snapshot: fixed('GET', SYNC_PATHS.snapshot, SnapshotResponseSchema),
  catalogue: fixed('GET', SYNC_PATHS.catalogue, CatalogueSchema),
  caseForms: shaped(
    'GET',
    (q: CaseFormQuery) => `${SYNC_PATHS.caseForms}?${'caseId' in q ? `caseId=${encodeURIComponent(q.caseId)}` : `ticketId=${encodeURIComponent(q.ticketId)}`}`,
    CaseFormsResponseSchema,
  ),
  linkReport: fixed('POST', SYNC_PATHS.linkReport, LinkReportResponseSchema),
  clerkSignIn: fixed('POST', SYNC_PATHS.clerkSignIn, ClerkSignInResponseSchema),
  clerkSignOut: fixed('POST', SYNC_PATHS.clerkSignOut, ClerkSignOutResponseSchema),
  lanKeys: fixed('GET', SYNC_PATHS.lanKeys, LanKeyRingSchema),
  deviceKey: fixed('GET', SYNC_PATHS.deviceKey, DeviceKeySchema),
  lease: fixed('POST', SYNC_PATHS.lease, LeaseResponseSchema),
  // Residence codes and the city's keys.
  residenceKeySet: fixed('GET', LOCKER_PATHS.keys, KeySetSchema),
  residenceDataKeys: fixed('GET', LOCKER_PATHS.dataKeys, DataKeyRingSchema),
  citizenKey: fixed('GET', LOCKER_PATHS.citizenKey, CitizenKeyResponseSchema),
  // Lockers.
  lockerEvents: fixed('POST', LOCKER_PATHS.events, LockerEventResultSchema),
  depositCodes: fixed('POST', LOCKER_PATHS.depositCodes, DepositCodesResponseSchema),
  depositDelegation: fixed('POST', LOCKER_PATHS.depositDelegation, DepositDelegationResponseSchema),
  // Counter lookups.
  citizenStanding: shaped('POST', (p: { hallId: string }) => `${hall(p.hallId)}/citizen-standing`, StandingResponseSchema),
  departments: shaped('GET', (p: { hallId: string }) => `/departments?hallId=${encodeURIComponent(p.hallId)}`, DepartmentsResponseSchema),
  // Kiosk lookups.
  blacklistCheck: fixed('POST', '/blacklist/check', BlacklistCheckResponseSchema),
  blacklistHashes: shaped('GET', (p: { hallId: string }) => `${hall(p.hallId)}/blacklist/hashes`, BlacklistHashesResponseSchema),
  appointments: shaped('GET', (p: { hallId: string; day: string }) => `${hall(p.hallId)}/appointments?date=${encodeURIComponent(p.day)}`, AppointmentsResponseSchema),
  // Demo provisioning only (a hall manager's session makes a device and its enrollment code).
  staffLogin: fixed('POST', '/auth/login', StaffLoginResponseSchema),
  createDevice: fixed('POST', SYNC_PATHS.devices, EnrollmentCodeResponseSchema),
} as const;
