import { z } from 'zod';
import { DEFAULT_UNCLAIMED_DAYS, IdSchema, LockerLayoutSchema, STATION_TOKEN_PATTERN, StationRoleSchema } from '@hall/shared';
import { MeshConfigSchema } from '../mesh/config';

/** How one device is reached; `simulated` is valid for every device, so a laptop runs a whole hall. */
export const DeviceConnectionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('simulated') }),
  z.object({
    kind: z.literal('serial'),
    path: z.string().min(1),
    baudRate: z.number().int().positive().default(9600),
  }),
  z.object({ kind: z.literal('tcp'), host: z.string().min(1), port: z.number().int().min(1).max(65535) }),
  z.object({
    kind: z.literal('hid'),
    vendorId: z.number().int().min(0).max(0xffff),
    productId: z.number().int().min(0).max(0xffff),
    /** A code scanner's USB mode: HID POS reports (usage page 0x8C, the default) or keyboard-wedge keystrokes. */
    mode: z.enum(['pos', 'wedge']).optional(),
  }),
  z.object({ kind: z.literal('none') }),
]);
export type DeviceConnection = z.infer<typeof DeviceConnectionSchema>;

export const DEVICE_SLOTS = [
  'idCardReader',
  'codeScanner',
  'ticketPrinter',
  'lockerController',
  'callScreen',
] as const;

/**
 * The kiosk's A4 printer for application forms: a queue of a CUPS (or any IPP) print server,
 * e.g. `ipp://127.0.0.1:631/printers/hall-a4`; `simulated` writes each job as a PDF file
 * under the station's data directory (demo halls).
 */
export const A4PrinterConnectionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('simulated') }),
  z.object({
    kind: z.literal('ipp'),
    url: z.url({ protocol: /^(ipps?|https?)$/, message: 'expected an IPP queue address such as ipp://127.0.0.1:631/printers/hall-a4' }),
    timeoutMs: z.number().int().min(500).max(60_000).default(8_000),
  }),
  z.object({ kind: z.literal('none') }),
]);
export type A4PrinterConnection = z.infer<typeof A4PrinterConnectionSchema>;

export const DevicesConfigSchema = z
  .object({
    ...(Object.fromEntries(DEVICE_SLOTS.map((slot) => [slot, DeviceConnectionSchema.optional()])) as Record<
      (typeof DEVICE_SLOTS)[number],
      z.ZodOptional<typeof DeviceConnectionSchema>
    >),
    a4Printer: A4PrinterConnectionSchema.optional(),
  })
  .strict();

export const EnrollmentSchema = z
  .object({
    /** One-time code from the administrator; exchanged for a credential on first start. */
    code: z.string().min(8).max(64).optional(),
    /** File holding the device credential (written after enrollment, mode 0600). */
    credentialPath: z.string().min(1),
    /**
     * File holding the city's citizen-hash key (kiosks and counters): delivered by the central
     * API at enrollment and written here, mode 0600. Default: "citizen-key" beside the credential.
     */
    citizenKeyPath: z.string().min(1).optional(),
    /**
     * File holding the hall's LAN key ring (every role): delivered by the central API at
     * enrollment, refetched after a rotation, written here, mode 0600. Default: "lan-keys"
     * beside the credential. The key itself is never written in a config file.
     */
    lanKeysPath: z.string().min(1).optional(),
  })
  .strict();

/** A locker station's compartments and the hall's rules for them (issue 8). */
export const LockerConfigSchema = z
  .object({
    layout: LockerLayoutSchema,
    /** Parcels not collected after this many days go back to the counter (the seed: six months). */
    unclaimedDays: z.number().positive().max(3650).default(DEFAULT_UNCLAIMED_DAYS),
    /** A door open longer than this raises the alarm on screen and an alert for the hall. */
    leftOpenAfterMs: z.number().int().min(100).max(3_600_000).default(60_000),
    /** How long a pickup by code waits for the ID card on the reader. */
    cardWaitMs: z.number().int().min(1000).max(120_000).default(20_000),
  })
  .strict();
export type LockerConfig = z.infer<typeof LockerConfigSchema>;

export const StationConfigSchema = z
  .object({
    hallId: IdSchema,
    role: StationRoleSchema,
    deviceId: IdSchema,
    apiUrl: z.url({ protocol: /^https?$/, message: 'expected an http(s) URL such as https://hall-api.example.gov.cn' }),
    enrollment: EnrollmentSchema,
    dataDir: z.string().min(1),
    /** Counter stations name the counter they serve. */
    counterId: IdSchema.optional(),
    host: z
      .object({
        /** Browser mode: where the renderer and the station API are served. */
        bind: z.string().default('127.0.0.1'),
        /** A bind that is not loopback is refused unless this says the station is meant for other hosts. */
        allowRemote: z.boolean().default(false),
        port: z.number().int().min(0).max(65535).default(0),
        rendererDir: z.string().min(1).optional(),
        /**
         * A stable page token for a kiosk Chromium started by a system service, so its page
         * reconnects after a station restart; absent: a fresh token every launch. Either way
         * the page URL with the token is written to `<dataDir>/browser-url` (mode 0600).
         */
        token: z.string().regex(STATION_TOKEN_PATTERN, 'expected at least 22 base64url characters (128 bits)').optional(),
      })
      .strict()
      .default({ bind: '127.0.0.1', allowRemote: false, port: 0 }),
    sync: z
      .object({
        pollIntervalMs: z.number().int().min(100).max(600_000).default(5000),
        pushBatch: z.number().int().min(1).max(500).default(200),
        /** Ticket numbers leased per block and the level that triggers a refill. */
        leaseBlockSize: z.number().int().min(1).max(200).default(20),
        leaseLowWater: z.number().int().min(0).max(200).default(10),
        /**
         * Hours form values stay in the outbox after the central API acknowledged them, so a
         * central database restored from a backup taken meanwhile gets them again; then scrubbed.
         */
        formRetentionHours: z.number().min(0).max(24 * 30).default(48),
        /**
         * Hours acknowledged mutations stay in the outbox (resent whole to a central database
         * restored from an older backup); absent: formRetentionHours.
         */
        outboxRetentionHours: z.number().min(0).max(24 * 90).optional(),
        /**
         * Past hall-days the station keeps besides the live day (the central API keeps the
         * history). At least 1 where clocks may differ around midnight (SyncEngineOptions.pastDaysKept).
         */
        pastDaysKept: z.number().int().min(0).max(30).default(1),
      })
      .strict()
      .default({ pollIntervalMs: 5000, pushBatch: 200, leaseBlockSize: 20, leaseLowWater: 10, formRetentionHours: 48, pastDaysKept: 1 }),
    devices: DevicesConfigSchema.default({}),
    /**
     * The hall mesh (docs/HALL-MESH.md): kiosks, counters and displays of the hall share
     * every mutation over the LAN, so the hall works as one while the central API is away.
     * Absent: this station works alone when the API is away.
     */
    mesh: MeshConfigSchema.optional(),
    /** Locker stations: compartments and unclaimed period (startLockerStation refuses to run without it). */
    locker: LockerConfigSchema.optional(),
    /**
     * A developer's station (started without a config file): demo fallbacks such as the demo
     * citizen-hash key are allowed. Never set in a deployed config.
     */
    development: z.boolean().default(false),
  })
  .strict()
  .refine((c) => c.role !== 'counter' || c.counterId !== undefined, {
    message: 'a counter station needs "counterId"',
    path: ['counterId'],
  });
export type StationConfig = z.infer<typeof StationConfigSchema>;
