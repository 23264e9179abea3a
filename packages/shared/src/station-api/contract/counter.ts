import { z } from 'zod';
import {
  CaseSchema,
  CitizenRefSchema,
  ConsultSchema,
  CounterStateSchema,
  DeliveryMethodSchema,
  IdSchema,
  RatingSchema,
  TicketSchema,
} from '../../domain/index';
import { MutationTypeSchema } from '../../sync/mutation';
import { CaseFormQuerySchema, CaseFormSchema } from '../../sync/caseForm';
import { CatalogueStaffAnnouncementSchema } from '../../sync/staffAnnouncement';
import { ResidenceCodeScanSchema } from '../counterIdentity';
import { CaseFileQuerySchema, CaseFileSchema, CaseScanSchema, HandOverParamsSchema } from '../caseFile';
import { HandoffCandidateSchema, HandoffPreviewParamsSchema, HandoffScannedSchema, HandoffScanParamsSchema, HandoffStartParamsSchema, HandoffViewSchema } from '../handoff';
import { empty, method } from './method';

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
 * central API (or brought by the hall mesh). Without either it is refused like any refusal
 * (LocalRejection `offline`, or `not_found` when the central API has no such form), and the
 * screen says "not available offline". Personal fields come masked; the station keeps the full
 * values as the case's working values.
 */
export const CaseFormResultSchema = z.object({
  forms: z.array(CaseFormSchema.extend({ serviceName: z.string(), situationName: z.string().optional() })),
});
export type CaseFormResult = z.infer<typeof CaseFormResultSchema>;

const caseRef = z.object({ caseId: IdSchema }).strict();
const FormValueSchema = z.union([z.string().max(500), z.number(), z.array(z.string().max(200)).max(50)]);
const ticketRef = z.object({ ticketId: IdSchema }).strict();

export const COUNTER_METHODS = {
  'counter.open': method(empty, CounterStateSchema),
  'counter.pause': method(z.object({ reason: z.string().min(1).max(100) }).strict(), CounterStateSchema),
  'counter.resume': method(empty, CounterStateSchema),
  /** Calls the next ticket by the hall's calling rules; null when nobody waits. */
  'counter.callNext': method(empty, TicketSchema.nullable()),
  'counter.callSpecific': method(ticketRef, TicketSchema),
  'counter.recall': method(ticketRef, TicketSchema),
  'counter.markMissed': method(ticketRef, TicketSchema),
  'counter.startServing': method(ticketRef, TicketSchema),
  'counter.finish': method(ticketRef, TicketSchema),
  'counter.transfer': method(
    z
      .object({ ticketId: IdSchema, toQueueId: IdSchema.optional(), toCounterId: IdSchema.optional() })
      .strict()
      .refine((p) => p.toQueueId !== undefined || p.toCounterId !== undefined, {
        message: 'a transfer names a queue or a counter',
      }),
    TicketSchema,
  ),
  /** 一号联办: one more matter on the ticket being served (a queue mutation, synced like a call). */
  'counter.addMatter': method(z.object({ ticketId: IdSchema, serviceId: IdSchema }).strict(), TicketSchema),
  'clerk.login': method(
    z.object({ login: z.string().min(1).max(64), password: z.string().min(1).max(256), counterId: IdSchema.optional() }).strict(),
    ClerkSessionSchema,
  ),
  'clerk.logout': method(empty, z.object({ ok: z.literal(true) })),
  'clerk.session': method(empty, ClerkSessionSchema.nullable()),
  /** The cases of a ticket with the counter's work on them (checklist, captures, identity check). */
  'case.listForTicket': method(ticketRef, z.array(CaseWorkSchema)),
  /** Opens a case at the counter for a matter the ticket has no kiosk case for (一号联办 too). */
  'case.open': method(z.object({ ticketId: IdSchema, serviceId: IdSchema }).strict(), CaseWorkSchema),
  'case.updateForm': method(
    z.object({ caseId: IdSchema, values: z.record(z.string().max(64), FormValueSchema) }).strict(),
    CaseWorkSchema,
  ),
  'case.checkMaterial': method(
    z.object({ caseId: IdSchema, materialId: IdSchema, received: z.boolean() }).strict(),
    CaseWorkSchema,
  ),
  /** Reads the ID card on the counter's reader (or a typed number) and checks it against the ticket. */
  'case.checkIdentity': method(
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
    z.object({ caseId: IdSchema, pendingMaterialIds: z.array(IdSchema).max(200).optional() }).strict(),
    z.object({ case: CaseWorkSchema, receipt: PrintRecordSchema }),
  ),
  /** One case with the counter's work on it (a consultation's answer arrives by pull). */
  'case.get': method(caseRef, CaseWorkSchema),
  /** 办件查询: any case of the hall by 办件编号, receipt QR text or the citizen's ID number. */
  'caseFile.find': method(CaseFileQuerySchema, z.array(CaseFileSchema)),
  /** 办件查询 by the ID card on the counter's reader (the citizen's own cases). */
  'caseFile.findByCard': method(empty, z.array(CaseFileSchema)),
  'caseFile.get': method(caseRef, CaseFileSchema),
  /** 补齐补正 / 容缺补交: the papers brought for the open request or pending materials, with pages captured here. */
  'caseFile.recordSupplement': method(
    z.object({ caseId: IdSchema, materialIds: z.array(IdSchema).max(200), note: z.string().trim().max(200).optional() }).strict(),
    CaseFileSchema,
  ),
  /** 即办件办结 at the counter (or an approved case the counter completes). */
  'caseFile.complete': method(z.object({ caseId: IdSchema, note: z.string().trim().max(200).optional() }).strict(), CaseFileSchema),
  /** 办结发证: counter collection (ID card on the reader) or post (prints the mailing slip). */
  'caseFile.handOver': method(HandOverParamsSchema, z.object({ case: CaseFileSchema, slip: PrintRecordSchema.optional() })),
  /** 撤销办件 asked for the citizen or for a clerk's error. */
  'caseFile.requestWithdrawal': method(
    z.object({ caseId: IdSchema, cause: z.enum(['citizen_request', 'clerk_error']), reason: z.string().trim().min(1).max(200) }).strict(),
    CaseFileSchema,
  ),
  /** 受理业务咨询: a question to the department before accepting; acceptance waits for the answer. */
  'caseFile.requestConsult': method(z.object({ caseId: IdSchema, question: z.string().trim().min(1).max(500) }).strict(), CaseFileSchema),
  /** 变更送达方式 with the reason (受理变更登记); the locker needs a deposit code and is chosen at acceptance. */
  'caseFile.changeDelivery': method(
    z.object({ caseId: IdSchema, delivery: z.enum(['counter', 'post', 'electronic']), reason: z.string().trim().min(1).max(200) }).strict(),
    CaseFileSchema,
  ),
  /** Cases accepted at this counter today whose paper has not left it. */
  'handoff.candidates': method(empty, z.array(HandoffCandidateSchema)),
  /** 物料流转单 / 物料流转包: one slip for one or several accepted cases, printed on the ticket printer. */
  'handoff.start': method(HandoffStartParamsSchema, z.object({ handoff: HandoffViewSchema, slip: PrintRecordSchema })),
  /** 签收 at this counter (the delivery counter), as the code scanner does. */
  'handoff.scan': method(HandoffScanParamsSchema, HandoffViewSchema),
  /** The slip as it would be signed in here, refused as a scan would be; nothing is sent. */
  'handoff.preview': method(HandoffPreviewParamsSchema, HandoffViewSchema),
  /** 不予受理 for missing materials: prints the one-time notice listing them. */
  'case.refuse': method(
    z.object({ caseId: IdSchema, reason: z.string().max(200).optional() }).strict(),
    z.object({ case: CaseWorkSchema, notice: PrintRecordSchema }),
  ),
  /** Locker delivery needs the citizen's mobile (the pickup code goes there by SMS) and a compartment size. */
  'case.setDelivery': method(
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
    z.object({ caseId: IdSchema, materialId: IdSchema, pages: z.number().int().min(1).max(50).default(1) }).strict(),
    CaseWorkSchema,
  ),
  'capture.reorder': method(
    z.object({ caseId: IdSchema, materialId: IdSchema, pageIds: z.array(IdSchema).min(1) }).strict(),
    CaseWorkSchema,
  ),
  'capture.removePage': method(z.object({ caseId: IdSchema, pageId: IdSchema }).strict(), CaseWorkSchema),
  /** A page's image, for thumbnails and the page viewer. */
  'capture.pageImage': method(
    z.object({ pageId: IdSchema }).strict(),
    z.object({ mime: z.enum(['image/png', 'image/jpeg']), dataBase64: z.string() }),
  ),
  /** The material's pages combined into one PDF, in their current order. */
  'capture.pdf': method(
    z.object({ caseId: IdSchema, materialId: IdSchema }).strict(),
    z.object({ dataBase64: z.string(), pages: z.number().int().min(1) }),
  ),
  'print.reprint': method(z.object({ printId: IdSchema }).strict(), PrintRecordSchema),
  /** The clerk's own tickets of the day with their cases, slips and ratings. */
  'history.today': method(empty, z.array(HistoryEntrySchema)),
  /** The citizen-facing screen: the rating waiting for an answer, if any. */
  'rating.pending': method(empty, RatingRequestSchema.nullable()),
  'rating.submit': method(z.object({ ticketId: IdSchema, rating: RatingSchema }).strict(), z.object({ ok: z.literal(true) })),
  /** 系统通知公告 the signed-in clerk has not yet marked 已阅 (from the cached catalogue, so offline too). */
  'announcements.unread': method(empty, z.array(CatalogueStaffAnnouncementSchema)),
  /** 已阅: recorded here at once and synced to the central API as the clerk's readStaffAnnouncement. */
  'announcements.read': method(z.object({ announcementId: IdSchema }).strict(), z.object({ ok: z.literal(true) })),
  /** Counter: the kiosk form (回显) of a ticket's cases or of one case; online only. */
  'case.form': method(CaseFormQuerySchema, CaseFormResultSchema),
} as const;

export const COUNTER_EVENTS = {
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
} as const;
