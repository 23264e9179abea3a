import type { Generated } from 'kysely';
/**
 * Column conventions, identical on SQLite and PostgreSQL:
 * ids are text; timestamps are ISO-8601 UTC text (`2026-01-05T08:30:00.000Z`), which sorts
 * correctly as text; local days are `YYYY-MM-DD` text; booleans are integers 0/1; nested
 * domain data (guides, decision trees, lists) is JSON text validated by the shared zod
 * schemas on the way in and out (see db/json).
 */
export type Iso = string;
export type Flag = 0 | 1;

export interface MigrationTable {
  name: string;
  applied_at: Iso;
}

export interface HallTable {
  id: string;
  name_zh: string;
  name_en: string | null;
  address: string;
  time_zone: string;
  opening_hours_json: string;
  created_at: Iso;
  updated_at: Iso;
}

export interface DepartmentTable {
  id: string;
  hall_id: string;
  name_zh: string;
  name_en: string | null;
  /** Issue 20: a switched-off department takes no new staff, counters or services. Defaults to 1. */
  active: Generated<Flag>;
}

export interface CounterTable {
  id: string;
  hall_id: string;
  department_id: string | null;
  number: string;
  name_zh: string;
  name_en: string | null;
  kind: string;
  queue_ids_json: string;
  state_json: string;
  updated_at: Iso;
}

export interface CounterServiceTable {
  counter_id: string;
  service_id: string;
  priority: number;
}

export interface QueueTable {
  id: string;
  hall_id: string;
  prefix: string;
  /** 0980: the 咨询号 letter; null keeps the queue's prefix. */
  consultation_prefix: string | null;
  name_zh: string;
  name_en: string | null;
  service_ids_json: string;
  kinds_json: string;
  number_digits: number;
  updated_at: Iso;
}

export interface CallingRulesTable {
  hall_id: string;
  rules_json: string;
  updated_at: Iso;
}

export interface ServiceTable {
  id: string;
  code: string;
  name_zh: string;
  name_en: string | null;
  department_id: string;
  theme: string;
  guide_json: string;
  materials_json: string;
  decision_tree_json: string | null;
  form_id: string | null;
  queue_id: string;
  daily_cap: number | null;
  keywords_json: string;
  updated_at: Iso;
  /** Issue 20 (1200_catalogue_editing); null on services saved before tags existed. */
  tags_json: string | null;
  /** 容缺受理: 1 when counters may accept with materials pending. */
  accept_pending_materials: number | null;
}

export interface FormTable {
  id: string;
  version: number;
  title_zh: string;
  title_en: string | null;
  schema_json: string;
  created_at: Iso;
}

export interface StaffTable {
  id: string;
  hall_id: string | null;
  login: string;
  display_name: string;
  staff_number: string;
  department_id: string | null;
  roles_json: string;
  password_hash: string;
  failed_attempts: number;
  locked_until: Iso | null;
  active: Flag;
  created_at: Iso;
  updated_at: Iso;
}

export interface StaffSessionTable {
  /** SHA-256 of the bearer token, hex; the token itself is never stored. */
  token_hash: string;
  staff_id: string;
  created_at: Iso;
  expires_at: Iso;
}

export interface DeviceTable {
  id: string;
  hall_id: string;
  role: string;
  name: string;
  /** Counter devices: the counter they serve (migration 0932); null for other roles and unbound counters. */
  counter_id: string | null;
  credential_hash: string | null;
  enrollment_code_hash: string | null;
  enrolled_at: Iso | null;
  revoked_at: Iso | null;
  last_seen_at: Iso | null;
  created_at: Iso;
  /** When the enrollment code stops working (migration 0940); null: no code. */
  enrollment_expires_at: Generated<Iso | null>;
  /** First use of the credential: the station has it on disk, so its code is spent then (0940). */
  credential_confirmed_at: Generated<Iso | null>;
  /** Server clock minus the station's, as the station last measured and reported it (0960); null: never. */
  clock_offset_ms: Generated<number | null>;
  clock_offset_at: Generated<Iso | null>;
}

export interface AppointmentTable {
  id: string;
  hall_id: string;
  service_id: string;
  date: string;
  slot_from: string;
  slot_to: string;
  citizen_masked_name: string;
  citizen_id_hash: string;
  status: string;
  ticket_id: string | null;
  booked_at: Iso;
  /** Sealed at rest (SEALED_COLUMNS): for the SMS telling the citizen of a bar. */
  citizen_phone: string | null;
  no_show_at: string | null;
  /** 一号联办: JSON array of the further services booked for the slot, or null. */
  more_service_ids_json: string | null;
}

export interface NoShowRuleTable {
  hall_id: string;
  no_shows: number;
  window_days: number;
  bar_days: number;
  updated_at: string;
}

export interface BlacklistTable {
  id: string;
  id_hash: string;
  reason: string;
  from_date: string;
  until_date: string;
  /** Null: a city-wide entry (rows from before 0975). */
  hall_id: string | null;
  /** 'no_show' (the hall's rule) or 'manual' (a manager); null on old rows. */
  source: string | null;
  masked_name: string | null;
  created_at: string | null;
  created_by: string | null;
  lifted_at: string | null;
  lifted_by: string | null;
  lift_reason: string | null;
}

export interface TicketTable {
  id: string;
  hall_id: string;
  queue_id: string;
  day: string;
  number: string;
  kind: string;
  service_ids_json: string;
  priority_group_id: string | null;
  appointment_id: string | null;
  citizen_masked_name: string | null;
  citizen_id_hash: string | null;
  issued_at: Iso;
  queued_at: Iso;
  status: string;
  counter_id: string | null;
  target_counter_id: string | null;
  called_at: Iso | null;
  call_count: number;
  missed_at: Iso | null;
  serving_started_at: Iso | null;
  finished_at: Iso | null;
  issued_by_device_id: string | null;
}

export interface CaseTable {
  id: string;
  hall_id: string;
  service_id: string;
  ticket_id: string | null;
  situation_id: string | null;
  answers_json: string;
  form_id: string | null;
  form_version: number | null;
  citizen_masked_name: string | null;
  citizen_id_hash: string | null;
  status: string;
  materials_json: string;
  refusal_reason: string | null;
  submitted_at: Iso;
  accepted_at: Iso | null;
  accepted_by_staff_id: string | null;
  /** Added by 0922_case_refused_by. */
  refused_by_staff_id: string | null;
  due_at: Iso | null;
  completed_at: Iso | null;
  delivery: string | null;
  /** Added by 1000_case_lifecycle (cases/migration.ts). */
  number: string | null;
  department_id: string | null;
  assigned_staff_id: string | null;
  /** caseStage: acceptance, review, supplement, collection, done. */
  stage: string | null;
  /** The current step's time limit (受理, 审批, 补正, 待领取); null once nothing runs. */
  stage_due_at: Iso | null;
  approved_at: Iso | null;
  delivered_at: Iso | null;
  closed_at: Iso | null;
  /** The whole case (CaseSchema), timeline included. */
  data_json: string | null;
  /** Added by 1170_case_handoff (handoff/migration.ts): where the case's paper is. */
  handoff_id?: string | null;
  handoff_number?: string | null;
  handoff_step?: string | null;
  handoff_since?: Iso | null;
  /** Added by 1260_case_handoff_hall (handoff/crossHallMigration.ts): the hall the paper is in (跨厅流转). */
  handoff_hall_id?: string | null;
}

export interface EvaluationTable {
  id: string;
  hall_id: string;
  ticket_id: string;
  case_id: string | null;
  counter_id: string;
  staff_id: string;
  rating: string;
  defaulted: Flag;
  comment: string | null;
  at: Iso;
}

export interface AuditLogTable {
  id: string;
  at: Iso;
  actor_kind: string;
  actor_id: string;
  hall_id: string | null;
  action: string;
  entity: string;
  entity_id: string;
  detail_json: string | null;
}

export interface Database {
  hall_migrations: MigrationTable;
  halls: HallTable;
  departments: DepartmentTable;
  counters: CounterTable;
  counter_services: CounterServiceTable;
  queues: QueueTable;
  calling_rules: CallingRulesTable;
  services: ServiceTable;
  forms: FormTable;
  staff: StaffTable;
  staff_sessions: StaffSessionTable;
  devices: DeviceTable;
  appointments: AppointmentTable;
  blacklist: BlacklistTable;
  no_show_rules: NoShowRuleTable;
  tickets: TicketTable;
  cases: CaseTable;
  evaluations: EvaluationTable;
  audit_log: AuditLogTable;
  role_definitions: RoleDefinitionTable;
  staff_role_assignments: StaffRoleAssignmentTable;
}

/** Issue 20: configurable roles (src/people/**). */
export interface RoleDefinitionTable {
  id: string;
  scope: string;
  hall_id: string | null;
  department_id: string | null;
  name_zh: string;
  name_en: string | null;
  permissions_json: string;
  active: Flag;
  created_at: Iso;
  updated_at: Iso;
}

export interface StaffRoleAssignmentTable {
  staff_id: string;
  role_id: string;
}
