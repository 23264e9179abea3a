import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common';
import { CitizenRefSchema } from './queue';

export const CaseStatusSchema = z.enum(['submitted', 'accepted', 'refused', 'completed', 'delivered']);
export type CaseStatus = z.infer<typeof CaseStatusSchema>;

export const DeliveryMethodSchema = z.enum(['counter', 'post', 'locker']);
export type DeliveryMethod = z.infer<typeof DeliveryMethodSchema>;

export const ReceivedMaterialSchema = z.object({
  materialId: IdSchema,
  received: z.boolean(),
  /** Pages captured by document camera or scanner, combined into one PDF. */
  pageCount: z.number().int().min(0).default(0),
  documentRef: z.string().optional(),
});
export type ReceivedMaterial = z.infer<typeof ReceivedMaterialSchema>;

/** 办件: one application, from the kiosk's form to delivery of the result. */
export const CaseSchema = z.object({
  id: IdSchema,
  hallId: IdSchema,
  serviceId: IdSchema,
  ticketId: IdSchema.optional(),
  situationId: IdSchema.optional(),
  /** Decision-tree answers: question id → chosen option ids. */
  answers: z.record(z.string(), z.array(IdSchema)).default({}),
  formId: IdSchema.optional(),
  formVersion: z.number().int().positive().optional(),
  citizen: CitizenRefSchema.optional(),
  status: CaseStatusSchema,
  materials: z.array(ReceivedMaterialSchema).default([]),
  refusalReason: z.string().optional(),
  /** The clerk who refused it (不予受理 is answerable like an acceptance). */
  refusedByStaffId: IdSchema.optional(),
  submittedAt: TimestampSchema,
  acceptedAt: TimestampSchema.optional(),
  acceptedByStaffId: IdSchema.optional(),
  /** Promised completion, from the service's promised working days. */
  dueAt: TimestampSchema.optional(),
  completedAt: TimestampSchema.optional(),
  delivery: DeliveryMethodSchema.optional(),
});
export type Case = z.infer<typeof CaseSchema>;

/** 好差评: five levels as in the national 好差评 system. */
export const RatingSchema = z.enum(['very_satisfied', 'satisfied', 'neutral', 'unsatisfied', 'very_unsatisfied']);
export type Rating = z.infer<typeof RatingSchema>;

export const EvaluationSchema = z.object({
  id: IdSchema,
  hallId: IdSchema,
  ticketId: IdSchema,
  caseId: IdSchema.optional(),
  counterId: IdSchema,
  staffId: IdSchema,
  rating: RatingSchema,
  /** True when no answer came within the timeout and "good" was recorded. */
  defaulted: z.boolean(),
  comment: z.string().max(500).optional(),
  at: TimestampSchema,
});
export type Evaluation = z.infer<typeof EvaluationSchema>;
