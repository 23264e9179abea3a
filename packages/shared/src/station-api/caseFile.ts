import { z } from 'zod';
import { CaseStatusSchema, CaseStepKindSchema, ConsultSchema, DeliveryMethodSchema, IdSchema } from '../domain/index';

/**
 * 办件查询 at a counter (issue 16): any case of the hall as the counter's replicated state
 * knows it, for the steps after acceptance (补正, 办结, 发证, 撤销, 变更). Nothing personal
 * beyond the masked name leaves the station: the collector's ID hash stays in the payload.
 */
export const CaseFileSchema = z.object({
  caseId: IdSchema,
  number: z.string().optional(),
  serviceId: IdSchema,
  serviceName: z.string(),
  status: CaseStatusSchema,
  /** caseStage: the step the case is at and its time limit. */
  stage: z.enum(['acceptance', 'review', 'special', 'supplement', 'collection', 'done']),
  dueAt: z.string().optional(),
  citizenMaskedName: z.string().optional(),
  ticketNumber: z.string().optional(),
  submittedAt: z.string(),
  acceptedAt: z.string().optional(),
  completedAt: z.string().optional(),
  deliveredAt: z.string().optional(),
  delivery: DeliveryMethodSchema.optional(),
  /** 即办: no back-office review, the counter completes it. */
  instant: z.boolean(),
  acceptWithPendingMaterials: z.boolean(),
  materials: z.array(
    z.object({
      materialId: IdSchema,
      name: z.string(),
      required: z.boolean(),
      received: z.boolean(),
      /** 容缺: accepted while still to come. */
      pending: z.boolean(),
      /** Pages the central record counts for it. */
      pageCount: z.number().int().min(0),
      /** Pages captured at this counter and not yet recorded on the case (a supplement in the making). */
      newPages: z.number().int().min(0),
    }),
  ),
  supplements: z.array(
    z.object({
      id: IdSchema,
      requestedAt: z.string(),
      dueAt: z.string(),
      items: z.array(z.object({ materialId: IdSchema.optional(), materialName: z.string().optional(), note: z.string() })),
      receivedAt: z.string().optional(),
      receivedAtCounterNumber: z.string().optional(),
    }),
  ),
  consult: ConsultSchema.optional(),
  handover: z
    .object({
      method: DeliveryMethodSchema,
      maskedName: z.string().optional(),
      proxy: z.boolean().optional(),
      hasPhoto: z.boolean().optional(),
      courier: z.string().optional(),
      trackingNumber: z.string().optional(),
    })
    .optional(),
  withdrawal: z
    .object({ requestedAt: z.string(), cause: z.enum(['citizen_request', 'clerk_error']), reason: z.string(), approvedAt: z.string().optional() })
    .optional(),
  refusalReason: z.string().optional(),
  timeline: z.array(z.object({ at: z.string(), kind: CaseStepKindSchema, note: z.string().optional(), staffId: IdSchema.optional(), counterNumber: z.string().optional() })),
});
export type CaseFile = z.infer<typeof CaseFileSchema>;

/** How the clerk looks a case up: its 办件编号, the receipt's QR text, or the citizen's ID number (typed). */
export const CaseFileQuerySchema = z.union([
  z.object({ number: z.string().trim().min(1).max(60) }).strict(),
  z.object({ receipt: z.string().trim().min(1).max(200) }).strict(),
  z.object({ idNumber: z.string().trim().min(15).max(18) }).strict(),
]);
export type CaseFileQuery = z.infer<typeof CaseFileQuerySchema>;

export const CollectorPhotoSchema = z.object({ mime: z.enum(['image/png', 'image/jpeg']), dataBase64: z.string().min(16).max(8_000_000) }).strict();

/** 发证: collected at this counter by the applicant or a proxy (ID card on the reader), or posted. */
export const HandOverParamsSchema = z.discriminatedUnion('method', [
  z
    .object({
      caseId: IdSchema,
      method: z.literal('counter'),
      /** The clerk confirms a proxy collects (the card on the reader is not the applicant's). */
      proxy: z.boolean().default(false),
      photo: CollectorPhotoSchema.optional(),
    })
    .strict(),
  z
    .object({
      caseId: IdSchema,
      method: z.literal('post'),
      courier: z.string().trim().min(1).max(40),
      trackingNumber: z.string().trim().regex(/^[A-Za-z0-9-]{4,40}$/, 'letters, digits and dashes, 4 to 40'),
    })
    .strict(),
]);

/** A receipt QR read on the counter's code scanner: the case it opens, or why none. */
export const CaseScanSchema = z.object({ outcome: z.enum(['found', 'unknown', 'token_mismatch']), caseId: IdSchema.optional(), at: z.string() });
export type CaseScan = z.infer<typeof CaseScanSchema>;
