import { z } from 'zod';
import { IdSchema, TimestampSchema } from '../domain/common';
import { MAX_DELEGATED_CODE_CHARS } from '../residence-code/delegation';
import { CompartmentSizeSchema } from './layout';

/**
 * What a locker station reports to the central API. Each event has a station-minted id
 * and is applied once (the server ignores an id it has seen), so the station's outbox
 * can resend freely after an outage.
 */
const base = { id: z.string().min(8).max(64), at: TimestampSchema, parcelId: IdSchema };

export const LockerEventSchema = z.discriminatedUnion('type', [
  z.object({
    ...base,
    type: z.literal('deposited'),
    compartmentId: z.string(),
    size: CompartmentSizeSchema,
    caseNumber: z.string(),
    /** Sent once so the server can text it to the citizen; the station keeps only a hash. */
    pickupCode: z.string().regex(/^\d{8}$/),
    /**
     * A deposit code a counter signed itself while the central API was away (HDD1.…): the
     * central API verifies it, learns the parcel from it and credits the counter that issued it.
     * Sent once, like the pickup code.
     */
    delegatedCode: z.string().max(MAX_DELEGATED_CODE_CHARS).optional(),
  }),
  z.object({ ...base, type: z.literal('picked_up'), compartmentId: z.string(), by: z.enum(['residence_code', 'pickup_code_and_id_card']) }),
  z.object({ ...base, type: z.literal('returned'), compartmentId: z.string(), staffId: IdSchema }),
  z.object({ ...base, type: z.literal('flagged'), compartmentId: z.string(), reason: z.enum(['door_jammed', 'uncertain_after_restart', 'deposit_failed']) }),
  z.object({ ...base, type: z.literal('door_left_open'), compartmentId: z.string() }),
]);
export type LockerEvent = z.infer<typeof LockerEventSchema>;

export const LockerEventBatchSchema = z.object({ events: z.array(LockerEventSchema).min(1).max(200) });
export const LockerEventResultSchema = z.object({
  results: z.array(z.object({ id: z.string(), status: z.enum(['applied', 'duplicate', 'rejected']), reason: z.string().optional() })),
});
export type LockerEventResult = z.infer<typeof LockerEventResultSchema>;

export const CitizenKeyResponseSchema = z.object({ citizenKey: z.string().min(32) });
/** Station roles that hash ID cards and so hold the city's citizen-hash key. */
export const CITIZEN_KEY_ROLES = ['kiosk', 'counter'] as const;

/** Events that raise a hall alert at the central API, shown in the console until a manager acknowledges them. */
export const LockerAlertKindSchema = z.enum(['door_left_open', 'door_jammed', 'uncertain_after_restart', 'deposit_failed']);
export type LockerAlertKind = z.infer<typeof LockerAlertKindSchema>;

/** Locker endpoints relative to the central API base (…/api/v1). */
export const LOCKER_PATHS = {
  keys: '/residence-codes/keys',
  issueResidenceCode: '/residence-codes',
  /** The city's citizen-hash key, for kiosks and counters enrolled before it came with enrollment. */
  citizenKey: '/residence-codes/citizen-key',
  /** The keys that open citizens' fields sealed in residence codes (DataKeyRing), for kiosks and counters. */
  dataKeys: '/residence-codes/data-keys',
  depositCodes: '/lockers/deposit-codes',
  /** POST by a counter station: a certificate for its own deposit-signing key (offline deposit codes). */
  depositDelegation: '/lockers/deposit-delegation',
  staffCodes: '/lockers/staff-codes',
  events: '/lockers/events',
  unclaimed: '/lockers/unclaimed',
  /** GET ?hallId=&open=1; POST …/:alertId/acknowledge. */
  alerts: '/lockers/alerts',
} as const;
