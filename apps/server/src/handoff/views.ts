import type { Kysely } from 'kysely';
import { FINAL_HANDOFF_STEPS, HANDOFF_STEP_LIMIT_HOURS, HANDOFF_STEP_NAMES, handoffOverdue, type Case, type Catalogue } from '@hall/shared';
import type { Database } from '../db/schema';
import { caseOfRow } from '../cases/store';

function casesOf(rows: readonly { data_json: string | null }[]): Case[] {
  return rows.flatMap((row) => {
    const kase = caseOfRow(row);
    return kase?.handoff ? [kase] : [];
  });
}

/** Every case under one slip. */
export async function handoffCasesOf(db: Kysely<Database>, hallId: string, handoffId: string): Promise<Case[]> {
  const rows = await db.selectFrom('cases').select('data_json').where('hall_id', '=', hallId).where('handoff_id', '=', handoffId).orderBy('number').execute();
  return casesOf(rows);
}

/**
 * Hand-offs by hand-off number, case number or id, or the citizen's ID hash (the console
 * hashes an ID number the same way the kiosk does; the API never sees the number itself).
 * A case found brings its whole slip along.
 */
export async function searchHandoffs(db: Kysely<Database>, hallId: string, q: string): Promise<Case[]> {
  // 跨厅流转: papers now in this hall count too, though their cases live in another hall.
  const hits = await db
    .selectFrom('cases')
    .select('handoff_id')
    .where((eb) => eb.or([eb('hall_id', '=', hallId), eb('handoff_hall_id', '=', hallId)]))
    .where('handoff_id', 'is not', null)
    .where((eb) => eb.or([eb('handoff_number', '=', q), eb('number', '=', q), eb('id', '=', q), eb('citizen_id_hash', '=', q)]))
    .limit(50)
    .execute();
  const ids = [...new Set(hits.flatMap((h) => (h.handoff_id ? [h.handoff_id] : [])))];
  if (ids.length === 0) return [];
  // Hand-off ids are unique city-wide: the whole slip comes along, wherever each of its papers is.
  const rows = await db.selectFrom('cases').select('data_json').where('handoff_id', 'in', ids).orderBy('number').execute();
  return casesOf(rows);
}

/** The hall's limit for papers at one desk (its case rules; the default for a hall that never set them). */
export function handoffLimitHours(catalogue: Pick<Catalogue, 'caseRules'>): number {
  return catalogue.caseRules?.handoffStepLimitHours ?? HANDOFF_STEP_LIMIT_HOURS;
}

/**
 * Papers sitting at a desk of this hall beyond the limit (the supervision page lists them like
 * late cases): by where the paper is, so another hall's case whose paper came here (跨厅流转) is
 * listed here, and one whose paper went away is listed there.
 */
export async function overdueHandoffs(db: Kysely<Database>, hallId: string, now: Date, limitHours: number): Promise<Case[]> {
  const horizon = new Date(now.getTime() - limitHours * 3_600_000).toISOString();
  const rows = await db
    .selectFrom('cases')
    .select('data_json')
    .where('handoff_hall_id', '=', hallId)
    .where('handoff_since', '<', horizon)
    .where('handoff_step', 'not in', [...FINAL_HANDOFF_STEPS])
    .orderBy('handoff_since')
    .limit(500)
    .execute();
  return casesOf(rows).filter((c) => handoffOverdue(c, now, limitHours));
}

/** A slip as the back office and supervision show it: applicants masked, history merged in time order. */
export function handoffView(cases: readonly Case[], catalogue: Pick<Catalogue, 'services' | 'departments' | 'caseRules'>, now: Date) {
  const first = cases[0]?.handoff;
  if (!first) return null;
  const limitHours = handoffLimitHours(catalogue);
  const department = (id: string | undefined) => catalogue.departments?.find((d) => d.id === id);
  return {
    id: first.id,
    number: first.number,
    step: first.step,
    stepName: HANDOFF_STEP_NAMES[first.step],
    hallId: first.hallId,
    /** The case's own hall, and the hall the slip sends the paper to (跨厅流转). */
    caseHallId: cases[0]!.hallId,
    ...(first.toHallId ? { toHallId: first.toHallId } : {}),
    since: first.since,
    overdue: cases.some((c) => handoffOverdue(c, now, limitHours)),
    cases: cases.map((c) => {
      const service = catalogue.services.find((s) => s.id === c.serviceId);
      const departmentId = c.departmentId ?? service?.departmentId;
      return {
        id: c.id,
        number: c.number ?? null,
        serviceName: service?.name ?? { zh: c.serviceId },
        caseType: service?.guide.promisedDays === 0 ? '即办件' : '承诺件',
        department: department(departmentId)?.name ?? (departmentId ? { zh: departmentId } : null),
        applicant: c.citizen?.maskedName ?? null,
        status: c.status,
        step: c.handoff!.step,
        items: c.handoff!.items,
      };
    }),
    history: cases
      .flatMap((c) => c.handoff!.moves.map((m) => ({ ...m, caseId: c.id, caseNumber: c.number ?? null })))
      .sort((a, b) => a.at.localeCompare(b.at)),
  };
}

type NamedView = { hallId: string; caseHallId: string; toHallId?: string | undefined; history: { staffId?: string | undefined; hallId: string }[] } | null;

/**
 * Each view with the display names of the staff its history names (staff names are not
 * citizens' data) and of the halls it names (跨厅流转: "流转至", and which hall's desk signed).
 */
export async function withStaffNames<V extends NamedView>(db: Kysely<Database>, views: V[]): Promise<(NonNullable<V> & { staffNames: Record<string, string>; hallNames: Record<string, string> })[]> {
  const present = views.filter((v): v is NonNullable<V> => v !== null);
  const ids = [...new Set(present.flatMap((v) => v.history.flatMap((m) => (m.staffId ? [m.staffId] : []))))];
  const hallIds = [...new Set(present.flatMap((v) => [v.hallId, v.caseHallId, ...(v.toHallId ? [v.toHallId] : []), ...v.history.map((m) => m.hallId)]))];
  const rows = ids.length === 0 ? [] : await db.selectFrom('staff').select(['id', 'display_name', 'staff_number']).where('id', 'in', ids).execute();
  const halls = hallIds.length === 0 ? [] : await db.selectFrom('halls').select(['id', 'name_zh']).where('id', 'in', hallIds).execute();
  const staffNames = Object.fromEntries(rows.map((r) => [r.id, `${r.display_name}（${r.staff_number}）`]));
  const hallNames = Object.fromEntries(halls.map((h) => [h.id, h.name_zh]));
  return present.map((v) => ({ ...v, staffNames, hallNames }));
}
