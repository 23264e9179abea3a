import { z } from 'zod';
import { IdSchema, LocalTimeSchema, LocalizedTextSchema } from './common';

export const OpeningHoursSchema = z.object({
  /** ISO weekday numbers 1 (Monday) … 7 (Sunday) the hall is open. */
  weekdays: z.array(z.number().int().min(1).max(7)).min(1),
  sessions: z
    .array(z.object({ from: LocalTimeSchema, to: LocalTimeSchema }))
    .min(1),
});
export type OpeningHours = z.infer<typeof OpeningHoursSchema>;

export const HallSchema = z.object({
  id: IdSchema,
  name: LocalizedTextSchema,
  address: z.string().min(1),
  timeZone: z.string().min(1).default('Asia/Shanghai'),
  openingHours: OpeningHoursSchema,
});
export type Hall = z.infer<typeof HallSchema>;

export const DepartmentSchema = z.object({
  id: IdSchema,
  hallId: IdSchema,
  name: LocalizedTextSchema,
});
export type Department = z.infer<typeof DepartmentSchema>;

/** 窗口 kind: a general counter accepts any service, a delivery counter hands out results. */
export const CounterKindSchema = z.enum(['service', 'general', 'delivery']);
export type CounterKind = z.infer<typeof CounterKindSchema>;

/** A service a counter handles; lower priority numbers are called first. */
export const CounterServiceSchema = z.object({
  serviceId: IdSchema,
  priority: z.number().int().min(1).max(99),
});
export type CounterService = z.infer<typeof CounterServiceSchema>;

export const CounterStateSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('closed') }),
  z.object({ status: z.literal('open') }),
  z.object({ status: z.literal('serving'), ticketId: IdSchema }),
  z.object({ status: z.literal('paused'), reason: z.string().min(1).max(100) }),
]);
export type CounterState = z.infer<typeof CounterStateSchema>;

export const CounterSchema = z.object({
  id: IdSchema,
  hallId: IdSchema,
  departmentId: IdSchema.optional(),
  /** What the display and voice announce: "3" → 请到3号窗口. */
  number: z.string().min(1).max(8),
  name: LocalizedTextSchema,
  kind: CounterKindSchema,
  services: z.array(CounterServiceSchema),
  /** Queues whose tickets this counter may call. */
  queueIds: z.array(IdSchema),
});
export type Counter = z.infer<typeof CounterSchema>;

/** officer: 后台审批人员, reviews the cases of their department (staff.departmentId). */
export const StaffRoleSchema = z.enum(['clerk', 'officer', 'supervisor', 'hall_manager', 'city_admin']);
export type StaffRole = z.infer<typeof StaffRoleSchema>;

export const StaffSchema = z.object({
  id: IdSchema,
  hallId: IdSchema.nullable(),
  login: z.string().min(3).max(32),
  /** Shown to citizens only masked; staff badges use the staff number. */
  displayName: z.string().min(1).max(32),
  staffNumber: z.string().min(1).max(16),
  departmentId: IdSchema.optional(),
  roles: z.array(StaffRoleSchema).min(1),
});
export type Staff = z.infer<typeof StaffSchema>;
