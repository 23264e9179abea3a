import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { deadlineLight, type DeadlineLight } from './lights';
import { localDayOf, type WorkingCalendar } from './workingDays';

export interface SupervisedCase {
  id: string;
  /** 办件编号 from the receipt, when the counter numbered it. */
  number: string | null;
  hallId: string;
  serviceId: string;
  serviceName: string;
  departmentId: string;
  departmentName: string;
  status: string;
  /** The step whose time limit runs (caseStage: acceptance 受理, review 审批, supplement 补正告知). */
  stage: string;
  acceptedAt: string | null;
  dueAt: string;
  dueDay: string;
  completedAt: string | null;
  light: DeadlineLight;
  workingDaysOver: number;
}

export interface DepartmentLights {
  departmentId: string;
  departmentName: string;
  near: number;
  yellow: number;
  orange: number;
  red: number;
}

export interface SupervisionReport {
  asOf: string;
  today: string;
  cases: SupervisedCase[];
  byDepartment: DepartmentLights[];
}

const OPEN = ['submitted', 'accepted', 'supplement_requested', 'approved'];
/** Steps whose limit the lights watch; a completed case's clock has stopped (its collection has its own return rule). */
const TIMED_STAGES = ['acceptance', 'review', 'special', 'supplement'];
/** Far enough ahead to cover "due next working day" across a long holiday. */
const LOOKAHEAD_MS = 10 * 86_400_000;
/** Cases completed late stay on the board for this long, so the month's late ones are visible. */
const LATE_HISTORY_MS = 31 * 86_400_000;

/**
 * Open cases near or past their promised day, and cases completed late within the last
 * month, with their deadline light. The database narrows by hall and due date (index
 * cases_hall_due_idx); working days are counted per case, which SQL cannot do portably.
 */
export async function superviseCases(
  db: Kysely<Database>,
  hallIds: readonly string[],
  now: Date,
  utcOffsetMinutes: number,
  calendars: ReadonlyMap<string, WorkingCalendar>,
): Promise<SupervisionReport> {
  const today = localDayOf(now.toISOString(), utcOffsetMinutes);
  if (hallIds.length === 0) return { asOf: now.toISOString(), today, cases: [], byDepartment: [] };
  const horizon = new Date(now.getTime() + LOOKAHEAD_MS).toISOString();
  const since = new Date(now.getTime() - LATE_HISTORY_MS).toISOString();
  const rows = await db
    .selectFrom('cases as c')
    .innerJoin('services as s', 's.id', 'c.service_id')
    .innerJoin('departments as d', 'd.id', 's.department_id')
    .select([
      'c.id', 'c.number', 'c.hall_id', 'c.service_id', 'c.status', 'c.accepted_at', 'c.due_at', 'c.completed_at', 'c.stage', 'c.stage_due_at',
      's.name_zh as service_name', 'd.id as department_id', 'd.name_zh as department_name',
    ])
    .where('c.hall_id', 'in', [...hallIds])
    .where((eb) =>
      eb.or([
        // Open: the running step's limit (rows from before the lifecycle columns: the promised date).
        eb.and([
          eb('c.status', 'in', OPEN),
          eb.or([eb('c.stage', 'is', null), eb('c.stage', 'in', TIMED_STAGES)]),
          eb(eb.fn.coalesce('c.stage_due_at', 'c.due_at'), '<', horizon),
        ]),
        eb.and([eb('c.due_at', 'is not', null), eb('c.completed_at', 'is not', null), eb('c.completed_at', '>=', since), eb('c.completed_at', '>', eb.ref('c.due_at'))]),
      ]),
    )
    .orderBy('c.due_at')
    .execute();

  const cases: SupervisedCase[] = [];
  for (const r of rows) {
    const cal = calendars.get(r.hall_id);
    const open = OPEN.includes(r.status);
    const dueAt = open ? (r.stage_due_at ?? r.due_at) : r.due_at;
    if (!cal || !dueAt) continue;
    const dueDay = localDayOf(dueAt, utcOffsetMinutes);
    const referenceDay = open || !r.completed_at ? today : localDayOf(r.completed_at, utcOffsetMinutes);
    const { light, workingDaysOver } = deadlineLight({ dueDay, referenceDay }, cal, open);
    if (!light) continue;
    cases.push({
      id: r.id,
      number: r.number,
      hallId: r.hall_id,
      serviceId: r.service_id,
      serviceName: r.service_name,
      departmentId: r.department_id,
      departmentName: r.department_name,
      status: r.status,
      stage: open ? (r.stage ?? 'review') : 'done',
      acceptedAt: r.accepted_at,
      dueAt,
      dueDay,
      completedAt: r.completed_at,
      light,
      workingDaysOver,
    });
  }
  const departments = new Map<string, DepartmentLights>();
  for (const c of cases) {
    const d = departments.get(c.departmentId) ?? { departmentId: c.departmentId, departmentName: c.departmentName, near: 0, yellow: 0, orange: 0, red: 0 };
    d[c.light] += 1;
    departments.set(c.departmentId, d);
  }
  const severity = (c: SupervisedCase) => ['near', 'yellow', 'orange', 'red'].indexOf(c.light);
  cases.sort((a, b) => severity(b) - severity(a) || a.dueAt.localeCompare(b.dueAt));
  return { asOf: now.toISOString(), today, cases, byDepartment: [...departments.values()] };
}
