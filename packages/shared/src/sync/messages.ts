import { z } from 'zod';
import { PhoneLinksSchema } from '../phone/links';
import {
  CallingRulesSchema,
  CaseRulesSchema,
  CaseSchema,
  CounterSchema,
  FormSchemaSchema,
  HallSchema,
  IdSchema,
  LocalDateSchema,
  LocalizedTextSchema,
  QueueSchema,
  StaffSchema,
  ServiceSchema,
  TicketSchema,
} from '../domain/index';
import { CounterRuntimeSchema } from '../queue/state';
import { LogEntrySchema } from './change';
import { MutationSchema } from './mutation';
import { SYNC_LIMITS } from './version';
import { ReleaseVerifierSchema } from '../release/release';
import { SlipTemplateSchema } from '../slips/template';
import { CatalogueStaffAnnouncementSchema } from './staffAnnouncement';

/** Device roles a station can enroll as. */
export const StationRoleSchema = z.enum(['kiosk', 'counter', 'display', 'locker']);
export type StationRole = z.infer<typeof StationRoleSchema>;

/** Sync endpoints, relative to the central API's base (…/api/v1). */
export const SYNC_PATHS = {
  devices: '/sync/devices',
  enroll: '/sync/enroll',
  push: '/sync/push',
  pull: '/sync/pull',
  snapshot: '/sync/snapshot',
  lease: '/sync/leases',
  catalogue: '/sync/catalogue',
  /** Counter devices: the kiosk form of a case (回显), by caseId or ticketId query. */
  caseForms: '/sync/case-forms',
  /** Any enrolled station: its hall's LAN key ring (LanKeyRingSchema); refetched on poke topic "lanKeys". */
  lanKeys: '/sync/lan-keys',
  /** The server's WebSocket: pokes with topic "sync" when the hall's log grows. */
  pokes: '/ws',
  /** Outage periods a station lived through (HALL-MESH.md), reported when the link returns. */
  linkReport: '/sync/link-report',
  /** Counter devices: a clerk signs in with login and password; the answer carries the clerk key (clerkProof.ts). */
  clerkSignIn: '/sync/clerk-sign-in',
  /** Counter devices: the clerk signed out; the session proves nothing made after `endedAt`. */
  clerkSignOut: '/sync/clerk-sign-out',
  /** Any enrolled station: the key it proves its own mutations with (deviceProof.ts), for relays by hall peers. */
  deviceKey: '/sync/device-key',
} as const;

export const CreateDeviceRequestSchema = z
  .object({
    id: IdSchema,
    hallId: IdSchema,
    role: StationRoleSchema,
    name: z.string().min(1).max(64),
    /**
     * Counter devices: the counter the device serves. The central API lets it act for that
     * counter only; a counter device without one sends no counter mutation.
     */
    counterId: IdSchema.optional(),
  })
  .refine((d) => d.counterId === undefined || d.role === 'counter', { message: 'only a counter device serves a counter', path: ['counterId'] });
export type CreateDeviceRequest = z.infer<typeof CreateDeviceRequestSchema>;
/** Binds a counter device to the counter it serves (devices created before the binding existed, or moved). */
export const BindDeviceCounterRequestSchema = z.object({ counterId: IdSchema }).strict();
/** `expiresAt`: when the code stops working (default 72 h after it was made). */
export const EnrollmentCodeResponseSchema = z.object({ deviceId: IdSchema, enrollmentCode: z.string(), expiresAt: z.string().optional() });

/** Every station role takes part in the hall LAN (call feed, hall mesh), so each gets the hall's LAN keys. */
export const LAN_KEY_ROLES = StationRoleSchema.options;
/** Poke topic: the hall's LAN key was rotated in the console; stations refetch SYNC_PATHS.lanKeys at once. */
export const LAN_KEYS_POKE_TOPIC = 'lanKeys';

/** One version of a hall's LAN key on the wire: key id and 32 random bytes in base64. */
export const LanKeyWireSchema = z
  .object({
    kid: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
    key: z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'expected 32 bytes in base64'),
  })
  .strict();
export type LanKeyWire = z.infer<typeof LanKeyWireSchema>;

/**
 * A hall's LAN key ring as the central API hands it to the hall's stations: seal with
 * `current`, open with any of `accepted` (which holds `current` and the keys rotated out
 * less than the grace period ago).
 */
export const LanKeyRingSchema = z
  .object({ current: LanKeyWireSchema, accepted: z.array(LanKeyWireSchema).min(1).max(32) })
  .strict()
  .refine((ring) => ring.accepted.some((k) => k.kid === ring.current.kid), { message: 'accepted must hold the current key', path: ['accepted'] });
export type LanKeyRing = z.infer<typeof LanKeyRingSchema>;

export const EnrollRequestSchema = z.object({ code: z.string().min(8).max(64) });
export const EnrollResponseSchema = z.object({
  deviceId: IdSchema,
  hallId: IdSchema,
  role: StationRoleSchema,
  /** Counter devices: the counter the central API binds the device to (its counter mutations name it). */
  counterId: IdSchema.optional(),
  /** Bearer credential for every later sync call; shown once, stored hashed by the server. */
  credential: z.string().min(20),
  /** Kiosks and counters: the city's citizen-hash key (CitizenRef.idHash, residence-code subjects). */
  citizenKey: z.string().min(32).optional(),
  /** Every station role: the hall's LAN key ring (absent from older servers: fetch SYNC_PATHS.lanKeys). */
  lanKeys: LanKeyRingSchema.optional(),
});
export type EnrollResponse = z.infer<typeof EnrollResponseSchema>;

/**
 * The central database a sync answer comes from (absent from older servers): its id (a
 * backup carries it, another database has another) and the hall's log epoch, which begins
 * at every start of the central API at the hall's head then (`epochStart`). A station that
 * saw log positions or had its work applied past `epochStart` of an epoch it did not know
 * talks to a database restored from a backup: it takes a snapshot and resends what that
 * database lacks (StationStore.checkServer).
 */
export const ServerIdentitySchema = z.object({
  databaseId: z.string().min(1),
  logEpoch: z.string().min(1),
  epochStart: z.number().int().min(0),
});
export type ServerIdentity = z.infer<typeof ServerIdentitySchema>;

export const PushRequestSchema = z.object({
  epoch: IdSchema,
  mutations: z.array(MutationSchema).min(1).max(SYNC_LIMITS.maxPushBatch),
});
export type PushRequest = z.infer<typeof PushRequestSchema>;

/**
 * The mutation a result answers: `deviceId` and `epoch` name its origin when a station
 * pushed a hall peer's mutation on its behalf (absent: the pusher's own).
 */
const ResultOriginFields = { deviceId: IdSchema.optional(), epoch: IdSchema.optional() };

export const MutationResultSchema = z.discriminatedUnion('status', [
  /** Applied now or earlier (a duplicate); logSeq is the log position of its last change (0 if none). */
  z.object({ id: z.string(), seq: z.number().int(), status: z.literal('applied'), logSeq: z.number().int().min(0), ...ResultOriginFields }),
  /** Refused by a domain rule; seq still advances so one bad mutation never blocks the rest. */
  z.object({ id: z.string(), seq: z.number().int(), status: z.literal('rejected'), reason: z.string(), code: z.string(), ...ResultOriginFields }),
]);

/** Per device and epoch of a hall: every seq up to `seq` is decided (applied or rejected) by the server. */
export const DeviceWatermarkSchema = z.object({ deviceId: IdSchema, epoch: IdSchema, seq: z.number().int().min(0) });
export type DeviceWatermark = z.infer<typeof DeviceWatermarkSchema>;
export type MutationResult = z.infer<typeof MutationResultSchema>;

export const PushResponseSchema = z.object({
  results: z.array(MutationResultSchema),
  /** Highest seq the server has applied for this device and epoch. */
  lastSeq: z.number().int().min(0),
  /** Set when the batch skipped seqs: resend from this seq on. */
  resendFrom: z.number().int().positive().optional(),
  /**
   * A relayed peer mutation skipped seqs of its device: the server stopped there (to keep
   * the hall's order) and waits for `seq` of that device and epoch first.
   */
  blocked: DeviceWatermarkSchema.optional(),
  server: ServerIdentitySchema.optional(),
  /**
   * Relayed peer mutations the server did not decide: they carry no valid device proof of
   * their origin (deviceProof.ts). The station stops relaying them; their origin pushes them.
   */
  unproven: z.array(DeviceWatermarkSchema.extend({ reason: z.string().max(300) })).optional(),
});
export type PushResponse = z.infer<typeof PushResponseSchema>;
/** A relayed mutation the server left undecided: it did not prove its origin made it. */
export type UnprovenRelay = NonNullable<PushResponse['unproven']>[number];

export const PullResponseSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('page'),
    entries: z.array(LogEntrySchema),
    /** Cursor to send next; equals the last entry's seq, or the request's cursor when empty. */
    cursor: z.number().int().min(0),
    hasMore: z.boolean(),
    head: z.number().int().min(0),
    /**
     * On the last page only: the hall's devices' decided seqs, every effect of which is in
     * the log at or below `cursor`. Stations drop hall peers' mutations these cover
     * (rejected ones leave no log entry to tell them otherwise).
     */
    settled: z.array(DeviceWatermarkSchema).optional(),
    server: ServerIdentitySchema.optional(),
  }),
  /** The cursor is older than the compaction horizon (or past the head): fetch a snapshot instead. */
  z.object({ kind: z.literal('snapshotRequired'), horizon: z.number().int().min(0), server: ServerIdentitySchema.optional() }),
]);
export type PullResponse = z.infer<typeof PullResponseSchema>;

export const SnapshotResponseSchema = z.object({
  cursor: z.number().int().min(0),
  tickets: z.array(TicketSchema),
  counters: z.array(z.object({ id: IdSchema, runtime: CounterRuntimeSchema })),
  cases: z.array(CaseSchema),
  server: ServerIdentitySchema.optional(),
  /** The hall's devices' decided seqs as of `cursor`, as on a pull's last page (the hall mesh settles peers' mutations by them). */
  settled: z.array(DeviceWatermarkSchema).optional(),
});
export type SnapshotResponse = z.infer<typeof SnapshotResponseSchema>;

export const LeaseRequestSchema = z.object({
  queueId: IdSchema,
  day: LocalDateSchema,
  count: z.number().int().min(1).max(200),
});
export const NumberBlockSchema = z.object({
  queueId: IdSchema,
  day: LocalDateSchema,
  /** First and last sequence of the block, inclusive. */
  start: z.number().int().positive(),
  end: z.number().int().positive(),
});
export type NumberBlock = z.infer<typeof NumberBlockSchema>;
export const LeaseResponseSchema = z.object({ block: NumberBlockSchema });

export const CatalogueSchema = z.object({
  hall: HallSchema,
  queues: z.array(QueueSchema),
  services: z.array(ServiceSchema),
  forms: z.array(FormSchemaSchema),
  /** 承办机构: the departments the services name (absent from older servers). */
  departments: z.array(z.object({ id: IdSchema, name: LocalizedTextSchema })).optional(),
  counters: z.array(CounterSchema),
  callingRules: CallingRulesSchema,
  /** Active wall-display notices, edited in the console (absent from older servers). */
  notices: z.array(z.object({ id: IdSchema, text: LocalizedTextSchema })).optional(),
  /**
   * The hall's holiday calendar from the console (absent from older servers): 法定节假日 the
   * hall stays closed on an opening weekday, 调休 working days it opens on a weekend. Promised
   * dates count working days with it, on the station and the server alike.
   */
  calendar: z.object({ holidays: z.array(LocalDateSchema).max(1000), workdays: z.array(LocalDateSchema).max(1000) }).optional(),
  /**
   * The counters each clerk may serve, by staff id, as set in the console. A clerk not listed
   * (or listed with no counters) may serve any counter: that is the hall default.
   */
  clerkCounters: z.record(IdSchema, z.array(IdSchema)).optional(),
  /** The hall's case time limits (absent from older servers: DEFAULT_CASE_RULES). */
  caseRules: CaseRulesSchema.optional(),
  /** Kiosks only: verifiers of today's and tomorrow's release passwords (放号密码, release/release.ts). */
  releases: z.array(ReleaseVerifierSchema).max(500).optional(),
  /** Printed documents' wording per service, edited in the console (absent from older servers: built-in wording). */
  slipTemplates: z.array(SlipTemplateSchema).max(3000).optional(),
  /** The public address of the phone pages, set in the console (absent: stations use their API address). */
  phoneLinks: PhoneLinksSchema.optional(),
  /** 系统通知公告 in force or still to come, for counters to show at sign-in (absent from older servers). */
  staffAnnouncements: z.array(CatalogueStaffAnnouncementSchema).max(200).optional(),
  /** The city's other halls (跨厅流转: a counter sends paper to one; progress names the hall the paper is in). Absent from older servers. */
  cityHalls: z.array(z.object({ id: IdSchema, name: LocalizedTextSchema })).max(500).optional(),
  /** Changes whenever any of the above changes. */
  version: z.string(),
});
export type Catalogue = z.infer<typeof CatalogueSchema>;

/** Server → station over WebSocket: something in the hall changed; topic "sync" means the log grew. */
export const PokeSchema = z.object({ type: z.literal('poke'), hallId: IdSchema, topic: z.string(), at: z.string() });
export type Poke = z.infer<typeof PokeSchema>;

/**
 * Push error code (HTTP 409): a seq of the pushing device's epoch was decided for another
 * mutation than the one pushed now (the station's database was restored from a backup and
 * reuses seqs). The station renumbers its unconfirmed mutations under a new epoch and
 * pushes them again; nothing of the batch was applied.
 */
export const SEQ_REUSED = 'seq_reused';

export const SyncErrorSchema = z.object({
  error: z.string(),
  message: z.string(),
  retryAfterSeconds: z.number().optional(),
});
export type SyncError = z.infer<typeof SyncErrorSchema>;

/**
 * A spell during which a station could not reach the central API: it worked with `maxPeers`
 * other stations of the hall over the LAN at most (`mode` 'mesh'), or alone, and committed
 * `localMutations` mutations meanwhile. Identified by (device, `from`): reporting twice is harmless.
 */
export const OutagePeriodSchema = z
  .object({
    from: z.string().datetime(),
    to: z.string().datetime(),
    mode: z.enum(['mesh', 'alone']),
    maxPeers: z.number().int().min(0).max(10_000),
    localMutations: z.number().int().min(0),
  })
  .refine((p) => Date.parse(p.to) >= Date.parse(p.from), { message: 'an outage period ends after it starts', path: ['to'] });
export type OutagePeriod = z.infer<typeof OutagePeriodSchema>;

/** Stations keep at most this many periods, and report at most this many at once. */
export const MAX_OUTAGE_PERIODS = 50;

export const LinkReportRequestSchema = z.object({ periods: z.array(OutagePeriodSchema).min(1).max(MAX_OUTAGE_PERIODS) });
export type LinkReportRequest = z.infer<typeof LinkReportRequestSchema>;
export const LinkReportResponseSchema = z.object({ recorded: z.number().int().min(0) });
export type LinkReportResponse = z.infer<typeof LinkReportResponseSchema>;

export const ClerkSignInRequestSchema = z.object({ login: z.string().min(1).max(64), password: z.string().min(1).max(256) }).strict();

/** A clerk signed in at a counter device: a staff session (deposit codes, 回显) and the clerk key for this device. */
export const ClerkSignInResponseSchema = z.object({
  token: z.string().min(1),
  expiresAt: z.string(),
  staff: StaffSchema,
  clerkKey: z.object({ id: IdSchema, secret: z.string().regex(/^[A-Za-z0-9_-]{43}$/) }),
});
export type ClerkSignInResponse = z.infer<typeof ClerkSignInResponseSchema>;

/** A clerk session ended at the counter (its station's clock, the one its mutations' times come from). */
export const ClerkSignOutRequestSchema = z.object({ keyId: IdSchema, session: IdSchema, endedAt: z.string().datetime() }).strict();
export type ClerkSignOutRequest = z.infer<typeof ClerkSignOutRequestSchema>;
