import { z } from 'zod';
import { CaseSchema, CitizenRefSchema, IdSchema, TicketKindSchema, TicketSchema } from '../../domain/index';
import { CaseDraftSchema } from '../../sync/mutation';
import { MobilePhoneSchema } from '../../phone/positionSms';
import { RELEASE_CODE_PATTERN, ReleaseKindSchema, ReleaseReasonSchema } from '../../release/release';
import { AnnouncementClipSchema } from '../display';
import { CaseProgressQuerySchema, CaseProgressResultSchema } from '../caseProgress';
import { empty, method } from './method';

/* ---- Kiosk station: identification, tickets, notices, forms (issue 5) ---- */

/**
 * A citizen as the kiosk renderer may see them: masked, plus an opaque handle the station
 * maps to the full document for autofill and hashing. The raw ID number and name never
 * reach the renderer; the station forgets the handle when the session ends or times out.
 */
export const CitizenViewSchema = z.object({
  handle: z.string().min(16).max(64),
  source: z.enum(['idcard', 'residenceCode', 'keypad']),
  maskedName: z.string().max(32).optional(),
  maskedIdNumber: z.string().min(1).max(32),
  age: z.number().int().min(0).max(150).optional(),
  /** Set when the citizen joins a priority group automatically (age from the ID card). */
  priorityGroupId: IdSchema.optional(),
});
export type CitizenView = z.infer<typeof CitizenViewSchema>;

/** Why the kiosk will not issue, shown to the citizen in plain words: thrown as a LocalRejection's `refusal` (see refuseAtKiosk). */
export const KioskRefusalSchema = z.discriminatedUnion('reason', [
  /** `source`: what put the citizen on the list (case_overdue: a case closed for a missed supplement), when known. */
  z.object({ reason: z.literal('blacklisted'), until: z.string(), why: z.string(), source: z.string().max(20).optional() }),
  /** The hall is closed now; `opensAt` is the next opening (ISO instant), null if unknown. */
  z.object({ reason: z.literal('closed'), opensAt: z.string().nullable() }),
  z.object({ reason: z.literal('daily_cap_reached'), serviceId: IdSchema, opensAt: z.string().nullable() }),
  z.object({ reason: z.literal('kind_not_offered'), serviceId: IdSchema }),
  z.object({ reason: z.literal('no_catalogue') }),
  /** 预约签到 before the check-in window: `opensAt` is when it opens (the slot start minus the hall's early allowance). */
  z.object({ reason: z.literal('appointment_early'), serviceId: IdSchema, opensAt: z.string() }),
  z.object({ reason: z.literal('appointment_checked_in') }),
  /** 放号密码 refused at the kiosk: wrong, not today's, used up, or not for this ticket. */
  z.object({ reason: z.literal('release_refused'), code: z.enum(['release_wrong', 'release_expired', 'release_used', 'release_mismatch']) }),
]);
export type KioskRefusal = z.infer<typeof KioskRefusalSchema>;

export const DeviceStateSchema = z.object({
  state: z.enum(['ok', 'warning', 'error', 'absent']),
  /** Machine-readable problem (paper-out, cover-open, disconnected …), translated by the UI. */
  problem: z.string().max(40).optional(),
});
export const KioskDevicesSchema = z.object({
  idCardReader: DeviceStateSchema,
  codeScanner: DeviceStateSchema,
  ticketPrinter: DeviceStateSchema,
  /** The A4 printer for application forms (absent on kiosks without one). */
  a4Printer: DeviceStateSchema.optional(),
});
export type KioskDevices = z.infer<typeof KioskDevicesSchema>;

/** What was printed, or would have been: the screen shows the same slip, so a fault loses nothing. */
export const PrintOutcomeSchema = z.object({
  printed: z.boolean(),
  problem: z.string().max(40).optional(),
  /** The slip is still on its way to the printer; `kiosk.printed` says how it ended. */
  printing: z.boolean().optional(),
  /** SVG of the slip as laid out for the printer. */
  preview: z.string(),
});
export type PrintOutcome = z.infer<typeof PrintOutcomeSchema>;

/** An A4 job: printed, or why not (`absent`, `unreachable`, `paper-out`, `stopped` …); the form stays for a retry. */
export const A4PrintOutcomeSchema = z.object({
  printed: z.boolean(),
  problem: z.string().max(40).optional(),
});
export type A4PrintOutcome = z.infer<typeof A4PrintOutcomeSchema>;

export const IssuedTicketSchema = z.object({
  ticket: TicketSchema,
  serviceNames: z.array(z.string()),
  ahead: z.number().int().min(0),
  estimatedWaitMinutes: z.number().int().min(0).optional(),
  followUrl: z.string(),
  /** `counter.number` of the windows that call the ticket's queue, as the slip prints them (older stations: absent). */
  counterNumbers: z.array(z.string()).optional(),
  print: PrintOutcomeSchema,
});
export type IssuedTicket = z.infer<typeof IssuedTicketSchema>;

const ReleaseCodeSchema = z.string().regex(RELEASE_CODE_PATTERN, 'eight digits');
const KioskReleaseSchema = z
  .object({ code: ReleaseCodeSchema, reason: ReleaseReasonSchema, note: z.string().trim().max(100).optional() })
  .strict()
  .refine((r) => r.reason !== 'other' || (r.note ?? '').length > 0, { message: 'the reason "other" needs a note' });
/** What a typed release password allows, shown to the guide before the ticket is issued. */
export const KioskReleaseViewSchema = z.object({
  serial: z.number().int().positive(),
  kind: ReleaseKindSchema,
  priorityGroupId: IdSchema.optional(),
  remaining: z.number().int().min(0),
});
export type KioskReleaseView = z.infer<typeof KioskReleaseViewSchema>;
const KioskIssueParamsSchema = z
  .object({
    serviceIds: z.array(IdSchema).min(1).max(8),
    kind: z.enum(['walk_in', 'consultation', 'pickup']).default('walk_in'),
    citizenHandle: z.string().max(64).optional(),
    /**
     * 一号联办 for a family: service id → the handle of the member identified (by their own
     * ID card) for that matter. The station turns handles into citizens; the screen never names one.
     */
    matterCitizenHandles: z.record(IdSchema, z.string().min(1).max(64)).optional(),
    /**
     * 现场号/特殊号: the floor guide's release password and reason. The ticket's kind of
     * release and priority group come from the password, never from the screen.
     */
    release: KioskReleaseSchema.optional(),
  })
  .strict();
const KioskFormValuesSchema = z.record(
  z.string().max(64),
  z.union([z.string().max(500), z.number(), z.array(z.string().max(100)).max(50)]),
);
/** A citizen's appointment today as the kiosk shows it; `checkInFrom` is an ISO instant. */
export const KioskAppointmentSchema = z.object({
  id: IdSchema,
  serviceId: IdSchema,
  /** 一号联办: the further matters booked for the slot (one ticket at check-in). */
  moreServiceIds: z.array(IdSchema).max(7).optional(),
  slot: z.object({ from: z.string().max(5), to: z.string().max(5) }),
  state: z.enum(['early', 'open', 'late', 'checked_in']),
  checkInFrom: z.string(),
});
export type KioskAppointment = z.infer<typeof KioskAppointmentSchema>;

export const KIOSK_METHODS = {
  /**
   * The kiosk decides who the citizen is (the document identified on it: `citizenHandle`)
   * and the priority group (the hall's rules, e.g. the elderly group from the age). A
   * `citizen` or `priorityGroupId` from the screen is refused unless it is exactly what the
   * kiosk decided; appointment tickets come from kiosk.checkIn only.
   */
  'ticket.issue': method(
    z
      .object({
        serviceIds: z.array(IdSchema).min(1),
        kind: TicketKindSchema.default('walk_in'),
        citizenHandle: z.string().max(64).optional(),
        priorityGroupId: IdSchema.optional(),
        appointmentId: IdSchema.optional(),
        citizen: CitizenRefSchema.optional(),
      })
      .strict(),
    TicketSchema,
  ),
  /** The case's citizen is the one identified at the kiosk (`citizenHandle`), never one the screen names. */
  'case.submit': method(CaseDraftSchema.extend({ citizenHandle: z.string().max(64).optional() }).strict(), CaseSchema),
  /** Kiosk: a citizen typed an ID number on the keypad (check digit validated here too). */
  'kiosk.identify': method(z.object({ idNumber: z.string().min(15).max(18) }).strict(), CitizenViewSchema),
  /** Kiosk: the session ended; the station drops the document behind the handle. */
  'kiosk.forget': method(z.object({ handle: z.string().max(64) }).strict(), z.object({ forgotten: z.boolean() })),
  'kiosk.devices': method(empty, KioskDevicesSchema),
  /** Kiosk: issue and print; the priority group and citizen hash come from the handle, not the renderer. */
  'kiosk.issue': method(KioskIssueParamsSchema, z.object({ issued: IssuedTicketSchema })),
  /** Kiosk: the floor guide typed a release password (导办放号); checked offline against the hall's verifiers. */
  'kiosk.releaseCheck': method(z.object({ code: ReleaseCodeSchema }).strict(), z.object({ release: KioskReleaseViewSchema })),
  /**
   * Kiosk: 小票补打 of a ticket this station issued today, by its number. `refused`: the
   * central API did not accept the ticket (the slip is reprinted from the kiosk's print record).
   */
  'kiosk.reprint': method(
    z.object({ number: z.string().regex(/^[A-Z]\d{2,4}$/) }).strict(),
    IssuedTicketSchema.extend({ refused: z.object({ code: z.string().max(64) }).optional() }).nullable(),
  ),
  /**
   * Kiosk: 补打 for a citizen who lost the number: identified by ID card or residence code,
   * every waiting or called ticket of theirs today (any kiosk's) is reprinted and returned.
   */
  'kiosk.reprintMine': method(
    z.object({ citizenHandle: z.string().min(1).max(64) }).strict(),
    z.object({ tickets: z.array(IssuedTicketSchema).max(8) }),
  ),
  /** Kiosk: print the one-time notice (一次性告知单) for a service and the situation reached. */
  'kiosk.printNotice': method(
    z
      .object({ serviceId: IdSchema, situationId: IdSchema.optional(), answers: z.record(z.string(), z.array(IdSchema)).default({}) })
      .strict(),
    PrintOutcomeSchema,
  ),
  /** Kiosk: form values the station can fill from the citizen's documents and history, shown masked. */
  'kiosk.prefill': method(
    z.object({ formId: IdSchema, citizenHandle: z.string().max(64) }).strict(),
    z.array(z.object({ fieldId: z.string(), display: z.string(), source: z.string() })),
  ),
  /** Kiosk: submit a filled form; `autofilled` fields are filled in by the station from the handle. */
  'kiosk.submit': method(
    z
      .object({
        serviceId: IdSchema,
        ticketId: IdSchema.optional(),
        situationId: IdSchema.optional(),
        answers: z.record(z.string(), z.array(IdSchema)).default({}),
        formId: IdSchema,
        formVersion: z.number().int().positive(),
        values: KioskFormValuesSchema,
        autofilled: z.array(z.string().max(64)).max(100).default([]),
        citizenHandle: z.string().max(64).optional(),
      })
      .strict(),
    z.object({ caseId: IdSchema, pendingSync: z.boolean() }),
  ),
  /**
   * Kiosk: print the application form of a case submitted in this session on the A4 printer,
   * with the values as submitted; callable again after a fault. Sessions end, and the values
   * with them, when the kiosk returns home.
   */
  'kiosk.printForm': method(z.object({ caseId: IdSchema }).strict(), A4PrintOutcomeSchema),
  /** Kiosk: the identified citizen's appointments today (from the station's cached list, refreshed when online). */
  'kiosk.appointments': method(
    z.object({ citizenHandle: z.string().max(64) }).strict(),
    z.object({ appointments: z.array(KioskAppointmentSchema), fresh: z.boolean() }),
  ),
  /** Kiosk: 预约签到, numbered from the kiosk's lease and printed; `late` means an ordinary ticket (past the grace). */
  'kiosk.checkIn': method(
    z.object({ citizenHandle: z.string().max(64), appointmentId: IdSchema }).strict(),
    z.object({ issued: IssuedTicketSchema, late: z.boolean() }),
  ),
  /**
   * Kiosk: 办件进度查询 from the station's replicated cases (works offline): the receipt QR's
   * case when its token matches, or every case of the identified citizen.
   */
  'kiosk.caseProgress': method(CaseProgressQuerySchema, CaseProgressResultSchema),
  /**
   * Kiosk: 到号前短信提醒, a phone typed on the keypad after taking the ticket. It travels to the
   * central API as a requestPositionSms mutation (offline too); `pendingSync` while it waits to.
   */
  'kiosk.positionSms': method(z.object({ ticketId: IdSchema, phone: MobilePhoneSchema }).strict(), z.object({ pendingSync: z.boolean() })),
  /** Kiosk: the screen now shown, so the station knows when nobody is using it (updates install only then). */
  'kiosk.screen': method(
    // sessionEnded: the citizen pressed 完成 or the idle reset ran, so a card left on the reader is not offered to the next citizen.
    z.object({ screen: z.string().min(1).max(32), sessionEnded: z.literal(true).optional() }).strict(),
    z.object({ ok: z.literal(true) }),
  ),
  /**
   * Kiosk: the citizen of the card lying on the reader (read when it was placed), for an identify
   * screen that opens after the card was put down; null when none lies there (or it was left behind when the session ended).
   */
  'kiosk.cardOnReader': method(empty, CitizenViewSchema.nullable()),
  /** Kiosk: a spoken prompt, synthesised offline by the station; never personal data, only prompts and ticket numbers. */
  'kiosk.speak': method(
    z.object({ text: z.string().min(1).max(200), language: z.enum(['zh', 'en']) }).strict(),
    AnnouncementClipSchema,
  ),
} as const;

export const KIOSK_EVENTS = {
  /** Kiosk: a card was placed on the ID-card reader (masked view + handle). */
  'idcard.read': CitizenViewSchema,
  /**
   * Kiosk: a code was scanned; a residence code arrives as a citizen, anything else by kind only.
   * `receipt`: an acceptance receipt's QR (hall:case:…), passed on for kiosk.caseProgress.
   */
  'code.scanned': z.object({ kind: z.enum(['residenceCode', 'ticket', 'receipt', 'unknown']), citizen: CitizenViewSchema.optional(), receipt: z.string().max(200).optional() }),
  'kiosk.devices': KioskDevicesSchema,
  /** Kiosk: how a new ticket's slip ended at the printer (the number was on screen before it). */
  'kiosk.printed': z.object({ ticketId: IdSchema, print: PrintOutcomeSchema }),
} as const;
