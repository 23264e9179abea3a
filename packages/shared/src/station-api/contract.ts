import { z } from 'zod';
import {
  CaseSchema,
  CitizenRefSchema,
  ConsultSchema,
  DeliveryMethodSchema,
  RatingSchema,
  CounterSchema,
  CounterStateSchema,
  IdSchema,
  TicketKindSchema,
  TicketSchema,
} from '../domain/index';
import { CatalogueSchema, StationRoleSchema, type StationRole } from '../sync/messages';
import { CaseDraftSchema, MutationTypeSchema } from '../sync/mutation';
import { CaseFormQuerySchema, CaseFormSchema } from '../sync/caseForm';
import { CatalogueStaffAnnouncementSchema } from '../sync/staffAnnouncement';
import { AnnouncementClipSchema, DisplayStateSchema } from './display';
import { HallLinkSchema } from './hallLink';
import { LockerAlarmSchema, LockerScanResultSchema, LockerStatusSchema } from '../locker/api';
import { ResidenceCodeScanSchema } from './counterIdentity';
import { CaseFileQuerySchema, CaseFileSchema, CaseScanSchema, HandOverParamsSchema } from './caseFile';
import { CaseProgressQuerySchema, CaseProgressResultSchema } from './caseProgress';
import { MobilePhoneSchema } from '../phone/positionSms';
import { HandoffCandidateSchema, HandoffPreviewParamsSchema, HandoffScannedSchema, HandoffScanParamsSchema, HandoffStartParamsSchema, HandoffViewSchema } from './handoff';
import { HandoffItemSchema } from '../domain/handoff';
import { RELEASE_CODE_PATTERN, ReleaseKindSchema, ReleaseReasonSchema } from '../release/release';

/**
 * The station API: what a renderer may ask of its station and what the station tells it.
 * One contract for every role; each method lists the roles allowed to call it, and both
 * transports (Electron IPC, browser-mode WebSocket) refuse a method outside the station's
 * role. Counter methods act on the station's own counter (from its config), never on a
 * counter id the renderer sends.
 */
export const STATION_API_VERSION = 1;

export const SyncStatusSchema = z.object({
  online: z.boolean(),
  pending: z.number().int().min(0),
  rejected: z.number().int().min(0),
  /** Age in seconds of the oldest mutation the server has not acknowledged yet. */
  oldestPendingAgeSeconds: z.number().min(0).nullable(),
  lastSyncAt: z.string().nullable(),
  lastError: z.string().nullable(),
  cursor: z.number().int().min(0),
  /**
   * Where the station stands in its hall: `connected` reaches the central API; `mesh` does
   * not, but works with `peers` other stations of the hall over the LAN (the hall mesh);
   * `alone` reaches neither. Absent on a station without a mesh (locker).
   */
  hall: HallLinkSchema.optional(),
  /**
   * Server clock minus this station's clock in ms, measured over the sync round trips
   * (null before the first measurement). Beyond CLOCK_SKEW_WARN_MS every app warns.
   */
  clockOffsetMs: z.number().nullable().optional(),
  /** The cached catalogue's version: a renderer re-reads the catalogue when it changes (a console edit). */
  catalogueVersion: z.string().nullable().optional(),
});
export type SyncStatus = z.infer<typeof SyncStatusSchema>;

export const RejectionSchema = z.object({
  mutationId: z.string(),
  seq: z.number().int(),
  type: MutationTypeSchema,
  code: z.string(),
  reason: z.string(),
  /** The ticket the rejected mutation was about, for the screen to name it. */
  ticketId: IdSchema.optional(),
  at: z.string(),
});
export type Rejection = z.infer<typeof RejectionSchema>;

const ALL: readonly StationRole[] = StationRoleSchema.options;

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

/** Why the kiosk will not issue, shown to the citizen in plain words. */
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
const refusedOr = <T extends z.ZodRawShape>(ok: T) =>
  z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), ...ok }), z.object({ ok: z.literal(false), refusal: KioskRefusalSchema })]);

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

/* ---- Counter station: clerk session, serving, acceptance, hand-off (issue 6) ---- */

/** A clerk signed in at one window; `offline` when verified against the station's cached verifier. */
export const ClerkSessionSchema = z.object({
  staffId: IdSchema,
  login: z.string(),
  displayName: z.string(),
  staffNumber: z.string(),
  departmentId: IdSchema.optional(),
  /** The window's department (else the clerk's), for the header; absent if never fetched. */
  departmentName: z.object({ zh: z.string(), en: z.string().optional() }).optional(),
  counterId: IdSchema,
  offline: z.boolean(),
  since: z.string(),
});
export type ClerkSession = z.infer<typeof ClerkSessionSchema>;

/** 存件码: issued by the central API's locker service (signed, scanned at the locker to deposit). */
export const DepositCodeSchema = z.string().min(8).max(600);

export const CapturedPageSchema = z.object({
  id: IdSchema,
  /** Order inside the material's PDF, from 0. */
  position: z.number().int().min(0),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  source: z.enum(['camera', 'scanner']),
});
export type CapturedPage = z.infer<typeof CapturedPageSchema>;

export const ChecklistItemSchema = z.object({
  materialId: IdSchema,
  name: z.string(),
  required: z.boolean(),
  originals: z.number().int().min(0),
  copies: z.number().int().min(0),
  received: z.boolean(),
  pages: z.array(CapturedPageSchema),
  /** Where the material's PDF is served for viewing, once it has pages. */
  pdfUrl: z.string().optional(),
});
export type ChecklistItem = z.infer<typeof ChecklistItemSchema>;

export const IdentityCheckSchema = z.object({
  method: z.enum(['id_card', 'residence_code', 'manual']),
  maskedName: z.string(),
  maskedIdNumber: z.string(),
  /** True when the ticket's citizen hash equals the document's; null when the ticket named nobody. */
  matchesTicket: z.boolean().nullable(),
  at: z.string(),
  /**
   * 信用情况 from the central API when it answered in time: no-shows within the hall's rule
   * window and any bar (黑名单) with its end date and reason. Absent offline.
   */
  standing: z
    .object({
      noShows: z.number().int().min(0),
      windowDays: z.number().int().min(1),
      barred: z.object({ until: z.string(), reason: z.string() }).optional(),
    })
    .optional(),
});
export type IdentityCheck = z.infer<typeof IdentityCheckSchema>;

/**
 * A counter decision (acceptCase, refuseCase, chooseDelivery, recordEvaluation) the central
 * API rejected on sync: the counter shows it instead of the decision it had made locally.
 */
export const CentralRejectionSchema = z.object({ type: MutationTypeSchema, code: z.string(), reason: z.string(), at: z.string() });
export type CentralRejection = z.infer<typeof CentralRejectionSchema>;

export const CaseWorkSchema = z.object({
  caseId: IdSchema,
  ticketId: IdSchema.optional(),
  serviceId: IdSchema,
  serviceName: z.string(),
  situationName: z.string().optional(),
  /** Decision-tree answers as question → option labels, for the clerk to read. */
  answers: z.array(z.object({ question: z.string(), options: z.array(z.string()) })),
  status: CaseSchema.shape.status,
  citizen: CitizenRefSchema.optional(),
  formId: IdSchema.optional(),
  /** The form as filled (kiosk values where the station has them, then the clerk's edits); personal fields masked. */
  values: z.record(z.string(), z.union([z.string(), z.number(), z.array(z.string())])),
  /** Fields filled from the citizen's residence code (码上受理), marked on screen as such. */
  fromResidenceCode: z.array(IdSchema).optional(),
  checklist: z.array(ChecklistItemSchema),
  identity: IdentityCheckSchema.optional(),
  delivery: DeliveryMethodSchema.optional(),
  depositCode: DepositCodeSchema.optional(),
  depositCodeExpiresAt: z.string().optional(),
  caseNumber: z.string().optional(),
  refusalReason: z.string().optional(),
  /** The last decision on this case the central API rejected, when it was not decided again since. */
  centralRejection: CentralRejectionSchema.optional(),
  /** 受理业务咨询审批: the clerk's question to the department and, once pulled, its answer. */
  consult: ConsultSchema.optional(),
  /** 容缺受理 is allowed for this service: required materials may be accepted as pending. */
  acceptWithPendingMaterials: z.boolean().optional(),
  /** Materials accepted as pending (容缺), once accepted. */
  pendingMaterialIds: z.array(IdSchema).optional(),
});
export type CaseWork = z.infer<typeof CaseWorkSchema>;

export const PrintKindSchema = z.enum(['acceptance_receipt', 'one_time_notice', 'deposit_code', 'mailing_slip', 'confirmation_slip', 'handoff_slip']);
export const PrintRecordSchema = z.object({
  id: IdSchema,
  kind: PrintKindSchema,
  ticketId: IdSchema.optional(),
  caseId: IdSchema.optional(),
  at: z.string(),
  /** SVG of the slip: shown on screen, and the fallback when the printer fails. */
  preview: z.string(),
  printed: z.boolean(),
  printerError: z.string().optional(),
});
export type PrintRecord = z.infer<typeof PrintRecordSchema>;

export const HistoryEntrySchema = z.object({
  ticket: TicketSchema,
  cases: z.array(
    z.object({
      caseId: IdSchema,
      serviceName: z.string(),
      status: CaseSchema.shape.status,
      caseNumber: z.string().optional(),
      centralRejection: CentralRejectionSchema.optional(),
    }),
  ),
  prints: z.array(PrintRecordSchema.omit({ preview: true })),
  rating: RatingSchema.optional(),
  ratingDefaulted: z.boolean().optional(),
  /** The rating's recordEvaluation, when the central API rejected it. */
  ratingRejection: CentralRejectionSchema.optional(),
});
export type HistoryEntry = z.infer<typeof HistoryEntrySchema>;

export const RatingRequestSchema = z.object({
  ticketId: IdSchema,
  ticketNumber: z.string(),
  counterNumber: z.string(),
  staffNumber: z.string(),
  /** When no answer counts as "good" (好评). */
  deadline: z.string(),
  timeoutSeconds: z.number().int(),
});
export type RatingRequest = z.infer<typeof RatingRequestSchema>;

/**
 * 回显 at the counter: the kiosk's form of a ticket's cases (or one case), fetched from the
 * central API. Offline it is a result, not an error: the screen says "not available offline".
 * Personal fields come masked; the station keeps the full values as the case's working values.
 */
export const CaseFormResultSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('ok'),
    forms: z.array(CaseFormSchema.extend({ serviceName: z.string(), situationName: z.string().optional() })),
  }),
  z.object({ status: z.literal('offline'), message: z.string() }),
  z.object({ status: z.literal('not_found'), message: z.string() }),
]);
export type CaseFormResult = z.infer<typeof CaseFormResultSchema>;

const caseRef = z.object({ caseId: IdSchema }).strict();
const FormValueSchema = z.union([z.string().max(500), z.number(), z.array(z.string().max(200)).max(50)]);
const empty = z.object({}).strict();
const ticketRef = z.object({ ticketId: IdSchema }).strict();

function method<P extends z.ZodType, R extends z.ZodType>(roles: readonly StationRole[], params: P, result: R) {
  return { roles, params, result };
}

export const STATION_METHODS = {
  'station.info': method(
    ALL,
    empty,
    z.object({
      deviceId: IdSchema,
      hallId: IdSchema,
      role: StationRoleSchema,
      counterId: IdSchema.optional(),
      apiVersion: z.number().int(),
    }),
  ),
  'sync.status': method(ALL, empty, SyncStatusSchema),
  'sync.rejections': method(ALL, empty, z.array(RejectionSchema)),
  'catalogue.get': method(ALL, empty, CatalogueSchema.nullable()),
  'queue.snapshot': method(
    ALL,
    empty,
    z.object({
      tickets: z.array(TicketSchema),
      counters: z.array(z.object({ counter: CounterSchema, state: CounterStateSchema })),
    }),
  ),
  /**
   * The kiosk decides who the citizen is (the document identified on it: `citizenHandle`)
   * and the priority group (the hall's rules, e.g. the elderly group from the age). A
   * `citizen` or `priorityGroupId` from the screen is refused unless it is exactly what the
   * kiosk decided; appointment tickets come from kiosk.checkIn only.
   */
  'ticket.issue': method(
    ['kiosk'],
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
  /** At a kiosk the case's citizen is the one identified on it (`citizenHandle`); a counter's clerk names the citizen. */
  'case.submit': method(['kiosk', 'counter'], CaseDraftSchema.extend({ citizenHandle: z.string().max(64).optional() }).strict(), CaseSchema),
  'counter.open': method(['counter'], empty, CounterStateSchema),
  'counter.pause': method(['counter'], z.object({ reason: z.string().min(1).max(100) }).strict(), CounterStateSchema),
  'counter.resume': method(['counter'], empty, CounterStateSchema),
  /** Calls the next ticket by the hall's calling rules; null when nobody waits. */
  'counter.callNext': method(['counter'], empty, TicketSchema.nullable()),
  'counter.callSpecific': method(['counter'], ticketRef, TicketSchema),
  'counter.recall': method(['counter'], ticketRef, TicketSchema),
  'counter.markMissed': method(['counter'], ticketRef, TicketSchema),
  'counter.startServing': method(['counter'], ticketRef, TicketSchema),
  'counter.finish': method(['counter'], ticketRef, TicketSchema),
  'counter.transfer': method(
    ['counter'],
    z
      .object({ ticketId: IdSchema, toQueueId: IdSchema.optional(), toCounterId: IdSchema.optional() })
      .strict()
      .refine((p) => p.toQueueId !== undefined || p.toCounterId !== undefined, {
        message: 'a transfer names a queue or a counter',
      }),
    TicketSchema,
  ),
  /** 一号联办: one more matter on the ticket being served (a queue mutation, synced like a call). */
  'counter.addMatter': method(['counter'], z.object({ ticketId: IdSchema, serviceId: IdSchema }).strict(), TicketSchema),
  'clerk.login': method(
    ['counter'],
    z.object({ login: z.string().min(1).max(64), password: z.string().min(1).max(256), counterId: IdSchema.optional() }).strict(),
    ClerkSessionSchema,
  ),
  'clerk.logout': method(['counter'], empty, z.object({ ok: z.literal(true) })),
  'clerk.session': method(['counter'], empty, ClerkSessionSchema.nullable()),
  /** The cases of a ticket with the counter's work on them (checklist, captures, identity check). */
  'case.listForTicket': method(['counter'], ticketRef, z.array(CaseWorkSchema)),
  /** Opens a case at the counter for a matter the ticket has no kiosk case for (一号联办 too). */
  'case.open': method(['counter'], z.object({ ticketId: IdSchema, serviceId: IdSchema }).strict(), CaseWorkSchema),
  'case.updateForm': method(
    ['counter'],
    z.object({ caseId: IdSchema, values: z.record(z.string().max(64), FormValueSchema) }).strict(),
    CaseWorkSchema,
  ),
  'case.checkMaterial': method(
    ['counter'],
    z.object({ caseId: IdSchema, materialId: IdSchema, received: z.boolean() }).strict(),
    CaseWorkSchema,
  ),
  /** Reads the ID card on the counter's reader (or a typed number) and checks it against the ticket. */
  'case.checkIdentity': method(
    ['counter'],
    z
      .object({ caseId: IdSchema, method: z.enum(['id_card', 'residence_code', 'manual']), idNumber: z.string().max(18).optional(), name: z.string().max(32).optional() })
      .strict(),
    CaseWorkSchema,
  ),
  /**
   * 受理: only when every required material is received, or (容缺受理, where the service allows
   * it) the missing required ones are named as pending; prints the acceptance receipt listing them.
   */
  'case.accept': method(
    ['counter'],
    z.object({ caseId: IdSchema, pendingMaterialIds: z.array(IdSchema).max(200).optional() }).strict(),
    z.object({ case: CaseWorkSchema, receipt: PrintRecordSchema }),
  ),
  /** One case with the counter's work on it (a consultation's answer arrives by pull). */
  'case.get': method(['counter'], caseRef, CaseWorkSchema),
  /** 办件查询: any case of the hall by 办件编号, receipt QR text or the citizen's ID number. */
  'caseFile.find': method(['counter'], CaseFileQuerySchema, z.array(CaseFileSchema)),
  /** 办件查询 by the ID card on the counter's reader (the citizen's own cases). */
  'caseFile.findByCard': method(['counter'], empty, z.array(CaseFileSchema)),
  'caseFile.get': method(['counter'], caseRef, CaseFileSchema),
  /** 补齐补正 / 容缺补交: the papers brought for the open request or pending materials, with pages captured here. */
  'caseFile.recordSupplement': method(
    ['counter'],
    z.object({ caseId: IdSchema, materialIds: z.array(IdSchema).max(200), note: z.string().trim().max(200).optional() }).strict(),
    CaseFileSchema,
  ),
  /** 即办件办结 at the counter (or an approved case the counter completes). */
  'caseFile.complete': method(['counter'], z.object({ caseId: IdSchema, note: z.string().trim().max(200).optional() }).strict(), CaseFileSchema),
  /** 办结发证: counter collection (ID card on the reader) or post (prints the mailing slip). */
  'caseFile.handOver': method(['counter'], HandOverParamsSchema, z.object({ case: CaseFileSchema, slip: PrintRecordSchema.optional() })),
  /** 撤销办件 asked for the citizen or for a clerk's error. */
  'caseFile.requestWithdrawal': method(
    ['counter'],
    z.object({ caseId: IdSchema, cause: z.enum(['citizen_request', 'clerk_error']), reason: z.string().trim().min(1).max(200) }).strict(),
    CaseFileSchema,
  ),
  /** 受理业务咨询: a question to the department before accepting; acceptance waits for the answer. */
  'caseFile.requestConsult': method(['counter'], z.object({ caseId: IdSchema, question: z.string().trim().min(1).max(500) }).strict(), CaseFileSchema),
  /** 变更送达方式 with the reason (受理变更登记); the locker needs a deposit code and is chosen at acceptance. */
  'caseFile.changeDelivery': method(
    ['counter'],
    z.object({ caseId: IdSchema, delivery: z.enum(['counter', 'post', 'electronic']), reason: z.string().trim().min(1).max(200) }).strict(),
    CaseFileSchema,
  ),
  /** 物料流转: the papers a case's slip lists by default (editable before printing). */
  'handoff.items': method(['counter'], caseRef, z.array(HandoffItemSchema)),
  /** Cases accepted at this counter today whose paper has not left it. */
  'handoff.candidates': method(['counter'], empty, z.array(HandoffCandidateSchema)),
  /** 物料流转单 / 物料流转包: one slip for one or several accepted cases, printed on the ticket printer. */
  'handoff.start': method(['counter'], HandoffStartParamsSchema, z.object({ handoff: HandoffViewSchema, slip: PrintRecordSchema })),
  /** 签收 at this counter (the delivery counter), as the code scanner does. */
  'handoff.scan': method(['counter'], HandoffScanParamsSchema, HandoffViewSchema),
  /** The slip as it would be signed in here, refused as a scan would be; nothing is sent. */
  'handoff.preview': method(['counter'], HandoffPreviewParamsSchema, HandoffViewSchema),
  /** 不予受理 for missing materials: prints the one-time notice listing them. */
  'case.refuse': method(
    ['counter'],
    z.object({ caseId: IdSchema, reason: z.string().max(200).optional() }).strict(),
    z.object({ case: CaseWorkSchema, notice: PrintRecordSchema }),
  ),
  /** Locker delivery needs the citizen's mobile (the pickup code goes there by SMS) and a compartment size. */
  'case.setDelivery': method(
    ['counter'],
    z
      .object({
        caseId: IdSchema,
        delivery: DeliveryMethodSchema,
        phone: z.string().regex(/^1\d{10}$/, 'a mobile number of 11 digits').optional(),
        size: z.enum(['small', 'medium', 'large']).optional(),
      })
      .strict(),
    z.object({ case: CaseWorkSchema, slip: PrintRecordSchema.optional() }),
  ),
  /** One captured page (PNG/JPEG as base64, already cropped) for a material. */
  'capture.addPage': method(
    ['counter'],
    z
      .object({
        caseId: IdSchema,
        materialId: IdSchema,
        mime: z.enum(['image/png', 'image/jpeg']),
        dataBase64: z.string().min(16).max(8_000_000),
        source: z.enum(['camera', 'scanner']).default('camera'),
      })
      .strict(),
    CaseWorkSchema,
  ),
  /** Scans pages on the station's SANE scanner into a material. */
  'capture.scan': method(
    ['counter'],
    z.object({ caseId: IdSchema, materialId: IdSchema, pages: z.number().int().min(1).max(50).default(1) }).strict(),
    CaseWorkSchema,
  ),
  'capture.reorder': method(
    ['counter'],
    z.object({ caseId: IdSchema, materialId: IdSchema, pageIds: z.array(IdSchema).min(1) }).strict(),
    CaseWorkSchema,
  ),
  'capture.removePage': method(['counter'], z.object({ caseId: IdSchema, pageId: IdSchema }).strict(), CaseWorkSchema),
  /** A page's image, for thumbnails and the page viewer. */
  'capture.pageImage': method(
    ['counter'],
    z.object({ pageId: IdSchema }).strict(),
    z.object({ mime: z.enum(['image/png', 'image/jpeg']), dataBase64: z.string() }),
  ),
  /** The material's pages combined into one PDF, in their current order. */
  'capture.pdf': method(
    ['counter'],
    z.object({ caseId: IdSchema, materialId: IdSchema }).strict(),
    z.object({ dataBase64: z.string(), pages: z.number().int().min(1) }),
  ),
  'print.reprint': method(['counter'], z.object({ printId: IdSchema }).strict(), PrintRecordSchema),
  /** The clerk's own tickets of the day with their cases, slips and ratings. */
  'history.today': method(['counter'], empty, z.array(HistoryEntrySchema)),
  /** The citizen-facing screen: the rating waiting for an answer, if any. */
  'rating.pending': method(['counter'], empty, RatingRequestSchema.nullable()),
  'rating.submit': method(['counter'], z.object({ ticketId: IdSchema, rating: RatingSchema }).strict(), z.object({ ok: z.literal(true) })),
  /** 系统通知公告 the signed-in clerk has not yet marked 已阅 (from the cached catalogue, so offline too). */
  'announcements.unread': method(['counter'], empty, z.array(CatalogueStaffAnnouncementSchema)),
  /** 已阅: recorded here at once and synced to the central API as the clerk's readStaffAnnouncement. */
  'announcements.read': method(['counter'], z.object({ announcementId: IdSchema }).strict(), z.object({ ok: z.literal(true) })),
  /** Counter: the kiosk form (回显) of a ticket's cases or of one case; online only. */
  'case.form': method(['counter'], CaseFormQuerySchema, CaseFormResultSchema),
  /** Kiosk: a citizen typed an ID number on the keypad (check digit validated here too). */
  'kiosk.identify': method(['kiosk'], z.object({ idNumber: z.string().min(15).max(18) }).strict(), CitizenViewSchema),
  /** Kiosk: the session ended; the station drops the document behind the handle. */
  'kiosk.forget': method(['kiosk'], z.object({ handle: z.string().max(64) }).strict(), z.object({ forgotten: z.boolean() })),
  'kiosk.devices': method(['kiosk'], empty, KioskDevicesSchema),
  /** Kiosk: issue and print; the priority group and citizen hash come from the handle, not the renderer. */
  'kiosk.issue': method(['kiosk'], KioskIssueParamsSchema, refusedOr({ issued: IssuedTicketSchema })),
  /** Kiosk: the floor guide typed a release password (导办放号); checked offline against the hall's verifiers. */
  'kiosk.releaseCheck': method(['kiosk'], z.object({ code: ReleaseCodeSchema }).strict(), refusedOr({ release: KioskReleaseViewSchema })),
  /**
   * Kiosk: 小票补打 of a ticket this station issued today, by its number. `refused`: the
   * central API did not accept the ticket (the slip is reprinted from the kiosk's print record).
   */
  'kiosk.reprint': method(
    ['kiosk'],
    z.object({ number: z.string().regex(/^[A-Z]\d{2,4}$/) }).strict(),
    IssuedTicketSchema.extend({ refused: z.object({ code: z.string().max(64) }).optional() }).nullable(),
  ),
  /**
   * Kiosk: 补打 for a citizen who lost the number: identified by ID card or residence code,
   * every waiting or called ticket of theirs today (any kiosk's) is reprinted and returned.
   */
  'kiosk.reprintMine': method(
    ['kiosk'],
    z.object({ citizenHandle: z.string().min(1).max(64) }).strict(),
    z.object({ tickets: z.array(IssuedTicketSchema).max(8) }),
  ),
  /** Kiosk: print the one-time notice (一次性告知单) for a service and the situation reached. */
  'kiosk.printNotice': method(
    ['kiosk'],
    z
      .object({ serviceId: IdSchema, situationId: IdSchema.optional(), answers: z.record(z.string(), z.array(IdSchema)).default({}) })
      .strict(),
    PrintOutcomeSchema,
  ),
  /** Kiosk: form values the station can fill from the citizen's documents and history, shown masked. */
  'kiosk.prefill': method(
    ['kiosk'],
    z.object({ formId: IdSchema, citizenHandle: z.string().max(64) }).strict(),
    z.array(z.object({ fieldId: z.string(), display: z.string(), source: z.string() })),
  ),
  /** Kiosk: submit a filled form; `autofilled` fields are filled in by the station from the handle. */
  'kiosk.submit': method(
    ['kiosk'],
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
  'kiosk.printForm': method(['kiosk'], z.object({ caseId: IdSchema }).strict(), A4PrintOutcomeSchema),
  /** Kiosk: the identified citizen's appointments today (from the station's cached list, refreshed when online). */
  'kiosk.appointments': method(
    ['kiosk'],
    z.object({ citizenHandle: z.string().max(64) }).strict(),
    z.object({ appointments: z.array(KioskAppointmentSchema), fresh: z.boolean() }),
  ),
  /** Kiosk: 预约签到, numbered from the kiosk's lease and printed; `late` means an ordinary ticket (past the grace). */
  'kiosk.checkIn': method(
    ['kiosk'],
    z.object({ citizenHandle: z.string().max(64), appointmentId: IdSchema }).strict(),
    refusedOr({ issued: IssuedTicketSchema, late: z.boolean() }),
  ),
  /**
   * Kiosk: 办件进度查询 from the station's replicated cases (works offline): the receipt QR's
   * case when its token matches, or every case of the identified citizen.
   */
  'kiosk.caseProgress': method(['kiosk'], CaseProgressQuerySchema, CaseProgressResultSchema),
  /**
   * Kiosk: 到号前短信提醒, a phone typed on the keypad after taking the ticket. It travels to the
   * central API as a requestPositionSms mutation (offline too); `pendingSync` while it waits to.
   */
  'kiosk.positionSms': method(['kiosk'], z.object({ ticketId: IdSchema, phone: MobilePhoneSchema }).strict(), z.object({ pendingSync: z.boolean() })),
  /** Kiosk: the screen now shown, so the station knows when nobody is using it (updates install only then). */
  'kiosk.screen': method(
    ['kiosk'],
    // sessionEnded: the citizen pressed 完成 or the idle reset ran, so a card left on the reader is not offered to the next citizen.
    z.object({ screen: z.string().min(1).max(32), sessionEnded: z.literal(true).optional() }).strict(),
    z.object({ ok: z.literal(true) }),
  ),
  /**
   * Kiosk: the citizen of the card lying on the reader (read when it was placed), for an identify
   * screen that opens after the card was put down; null when none lies there (or it was left behind when the session ended).
   */
  'kiosk.cardOnReader': method(['kiosk'], empty, CitizenViewSchema.nullable()),
  /** Kiosk: a spoken prompt, synthesised offline by the station; never personal data, only prompts and ticket numbers. */
  'kiosk.speak': method(
    ['kiosk'],
    z.object({ text: z.string().min(1).max(200), language: z.enum(['zh', 'en']) }).strict(),
    AnnouncementClipSchema,
  ),
  /** Display: everything the wall shows, recomputed by the station (also pushed as the `display.state` event). */
  'display.state': method(['display'], empty, DisplayStateSchema),
  /** Display: the joined announcement of a pending call (chime + Mandarin [+ English]); null without voice clips. */
  'announcement.clip': method(['display'], z.object({ key: z.string().max(128) }).strict(), AnnouncementClipSchema.nullable()),
  /** Display: the renderer finished (or could not play) an announcement; it is never announced again. */
  'announcement.done': method(
    ['display'],
    z.object({ key: z.string().max(128), outcome: z.enum(['played', 'failed']) }).strict(),
    z.object({ ok: z.literal(true) }),
  ),
  /** Locker: compartments, alarms, lockout, unclaimed parcels (also pushed as the `locker.status` event). */
  'locker.status': method(['locker'], empty, LockerStatusSchema),
  /** Locker: one scanned line — a deposit code deposits, a residence code picks up, a staff code returns unclaimed items. */
  'locker.scan': method(['locker'], z.object({ text: z.string().min(1).max(1024) }).strict(), LockerScanResultSchema),
  /** Locker: fallback pickup with the SMS pickup code; the station reads the ID card itself. */
  'locker.pickupWithCard': method(['locker'], z.object({ pickupCode: z.string().max(16) }).strict(), LockerScanResultSchema),
} as const;

export type StationMethod = keyof typeof STATION_METHODS;
export type MethodParams<M extends StationMethod> = z.input<(typeof STATION_METHODS)[M]['params']>;
export type MethodParsedParams<M extends StationMethod> = z.output<(typeof STATION_METHODS)[M]['params']>;
export type MethodResult<M extends StationMethod> = z.output<(typeof STATION_METHODS)[M]['result']>;

export const STATION_EVENTS = {
  'sync.status': SyncStatusSchema,
  /** Entities that changed in the live state (after a local mutation, a pull or a rebase). */
  'queue.changed': z.object({
    tickets: z.array(TicketSchema),
    counterStates: z.array(z.object({ id: IdSchema, state: CounterStateSchema })),
  }),
  /** The server refused one of this station's mutations: shown to the user, never dropped. */
  'mutation.rejected': RejectionSchema,
  /** Counter: the clerk signed in or out (null). */
  'clerk.session': ClerkSessionSchema.nullable(),
  /** Counter: a finished ticket asks the citizen-facing screen for a rating. */
  'rating.requested': RatingRequestSchema,
  'rating.recorded': z.object({ ticketId: IdSchema, rating: RatingSchema, defaulted: z.boolean() }),
  /** Counter: a call pad (scanner / HID) pressed an action; the screen runs it like its shortcut. */
  'callpad.action': z.object({ action: z.enum(['next', 'recall', 'missed', 'start', 'finish', 'pause', 'resume']) }),
  /** Counter: a residence code read on the code scanner, verified offline and checked against the held ticket. */
  'counter.residenceCode': ResidenceCodeScanSchema,
  /** Counter: an acceptance receipt's QR read on the code scanner, checked offline against the case's token. */
  'counter.caseScanned': CaseScanSchema,
  /** Counter: a hand-off slip read on the code scanner, signed in here or refused. */
  'counter.handoffScanned': HandoffScannedSchema,
  /** Kiosk: a card was placed on the ID-card reader (masked view + handle). */
  'idcard.read': CitizenViewSchema,
  /** Kiosk: a code was scanned; a residence code arrives as a citizen, anything else by kind only. */
  /** `receipt`: an acceptance receipt's QR (hall:case:…), passed on for kiosk.caseProgress. */
  'code.scanned': z.object({ kind: z.enum(['residenceCode', 'ticket', 'receipt', 'unknown']), citizen: CitizenViewSchema.optional(), receipt: z.string().max(200).optional() }),
  'kiosk.devices': KioskDevicesSchema,
  /** Kiosk: how a new ticket's slip ended at the printer (the number was on screen before it). */
  'kiosk.printed': z.object({ ticketId: IdSchema, print: PrintOutcomeSchema }),
  /** Display: the wall's whole state, after any change (calls from either path, counters, queues). */
  'display.state': DisplayStateSchema,
  /** Locker: the locker's state after any change. */
  'locker.status': LockerStatusSchema,
  /** Locker: a door left open, a door that would not open, a compartment staff must check. */
  'locker.alarm': LockerAlarmSchema,
  /** Locker: a code read on its serial scanner and what the locker did with it (the screen shows it as if typed). */
  'locker.scanned': LockerScanResultSchema,
} as const;

export type StationEvent = keyof typeof STATION_EVENTS;
export type EventData<E extends StationEvent> = z.output<(typeof STATION_EVENTS)[E]>;

export function isStationMethod(name: string): name is StationMethod {
  return Object.prototype.hasOwnProperty.call(STATION_METHODS, name);
}

export function methodsForRole(role: StationRole): StationMethod[] {
  return (Object.keys(STATION_METHODS) as StationMethod[]).filter((m) =>
    (STATION_METHODS[m].roles as readonly StationRole[]).includes(role),
  );
}

/** The implementation a station provides: one async function per method its role allows. */
export type StationApiHandlers = {
  [M in StationMethod]?: (params: MethodParsedParams<M>) => Promise<MethodResult<M>> | MethodResult<M>;
};

/** What `window.station` (Electron preload) and the WebSocket client both expose to renderers. */
export interface StationBridge {
  call<M extends StationMethod>(method: M, params: MethodParams<M>): Promise<MethodResult<M>>;
  on<E extends StationEvent>(event: E, listener: (data: EventData<E>) => void): () => void;
}
