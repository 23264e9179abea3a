import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  checkHandoffScan,
  FINAL_HANDOFF_STEPS,
  handoffDeskHallMaySign,
  HANDOFF_STEPS,
  HandoffMarkSchema,
  HandoffStepSchema,
  parseHandoffSlipCode,
  type Case,
  type Catalogue,
  type HandoffStep,
} from '@hall/shared';
import type { ServerContext } from '../context';
import { requirePrincipal } from '../http/auth';
import { forbidden } from '../http/errors';
import { HallParams } from '../http/params';
import { parseRequest } from '../http/validate';
import { applyCentralStep } from '../cases/central';
import { loadCatalogue } from '../sync/catalogue';
import { handoffCasesOf, handoffLimitHours, handoffView, overdueHandoffs, searchHandoffs, withStaffNames } from './views';

/** The desks the back office signs at through the API (counters sign by sync mutation, offline too). */
const BACK_OFFICE_STEPS = ['review', 'approval', 'production', 'delivery', 'citizen', 'locker', 'post'] as const;

const ScanBody = z
  .object({
    code: z.string().trim().min(1).max(300),
    /** The desk's step; absent: the step after the one the paper is at. */
    step: z.enum(BACK_OFFICE_STEPS).optional(),
    caseIds: z.array(z.string().min(1).max(64)).min(1).max(30).optional(),
    marks: z.array(HandoffMarkSchema).max(30).optional(),
    note: z.string().trim().max(200).optional(),
  })
  .strict();

interface Desk {
  hallId: string;
  staffId: string;
  departmentId: string | null;
  /** 跨厅流转: the same authority has its own department in each hall, known there by the same name. */
  departmentName: string | null;
  manager: boolean;
}

/**
 * 物料流转 at the back office (issue 17): officers and hall managers look a slip up and sign it
 * in with the code scanner (it types the code and Enter into the console's scan box). A sign-in
 * is the same `signHandoff` step stations send, decided by the shared executor on the hall's
 * authoritative state and written to the hall's log, so every station pulls it.
 */
export const handoffPlugin: FastifyPluginAsync = async (app) => {
  const ctx = app.hall;

  app.get('/halls/:hallId/handoffs', async (request) => {
    const { params, query } = parseRequest(request, { params: HallParams, query: z.object({ q: z.string().trim().min(1).max(300) }) });
    const desk = await backOfficeDesk(ctx, request, params.hallId);
    const slip = parseHandoffSlipCode(query.q);
    const found = slip ? await slipCasesAtDesk(ctx, params.hallId, slip) : await searchHandoffs(ctx.db, params.hallId, query.q);
    const views = await viewsInScope(ctx, desk, found);
    const refusal = slip && slip.hallId !== params.hallId && found.length === 0 ? { refusal: { code: 'other_hall', message: 'this slip belongs to another hall and its paper does not come here' } } : {};
    return { handoffs: await withStaffNames(ctx.db, views), ...refusal };
  });

  app.get('/halls/:hallId/handoffs/overdue', async (request) => {
    const { params } = parseRequest(request, { params: HallParams });
    const desk = await backOfficeDesk(ctx, request, params.hallId);
    const catalogue = await loadCatalogue(ctx.db, params.hallId);
    const cases = await overdueHandoffs(ctx.db, params.hallId, ctx.clock(), handoffLimitHours(catalogue));
    return { handoffs: await viewsInScope(ctx, desk, cases) };
  });

  app.post('/halls/:hallId/handoffs/scan', async (request, reply) => {
    const { params, body } = parseRequest(request, { params: HallParams, body: ScanBody });
    const desk = await backOfficeDesk(ctx, request, params.hallId);
    const refused = (code: string, message: string) => {
      void reply.code(409);
      return { error: code, message };
    };
    const slip = parseHandoffSlipCode(body.code);
    if (!slip) return refused('not_a_slip', 'this code is not a hand-off slip (物料流转单)');
    // 跨厅流转: another hall's slip is signed here when its paper comes to (or is in) this hall; the case's own hall decides it.
    const cases = await slipCasesAtDesk(ctx, params.hallId, slip);
    if (slip.hallId !== params.hallId && cases.length === 0) return refused('other_hall', `this slip belongs to another hall (${slip.hallId}) and its paper does not come here`);
    const catalogue = await loadCatalogue(ctx.db, slip.hallId);
    if (cases.some((c) => !inScope(desk, c, catalogue))) throw forbidden("this slip holds another department's papers");
    const step = body.step ?? nextStep(cases);
    if (!step) return refused('wrong_step', 'the paper already left the hall');
    const at = ctx.clock().toISOString();
    const state = { cases: Object.fromEntries(cases.map((c) => [c.id, c])) };
    // The live check first: a second scan at the same desk is refused here, not recorded.
    const checked = checkHandoffScan(state, params.hallId, body.code, {
      step,
      hallId: params.hallId,
      staffId: desk.staffId,
      at,
      ...(body.caseIds ? { caseIds: body.caseIds } : {}),
      ...(body.marks ? { marks: body.marks } : {}),
      ...(body.note ? { note: body.note } : {}),
    });
    if (!checked.ok) return refused(checked.code, checked.reason);
    const result = await applyCentralStep(ctx, slip.hallId, 'signHandoff', { ...checked.payload }, { kind: 'staff', id: desk.staffId });
    if (!result.ok) return refused(result.code, result.reason);
    const [view] = await withStaffNames(ctx.db, [handoffView(await handoffCasesOf(ctx.db, slip.hallId, slip.handoffId), catalogue, ctx.clock())]);
    return { handoff: view };
  });
};

/** The step after the one most of the slip's paper is at (a package moves together). */
function nextStep(cases: readonly Case[]): HandoffStep | undefined {
  const current = cases.map((c) => c.handoff?.step ?? 'acceptance').sort((a, b) => HANDOFF_STEPS.indexOf(a) - HANDOFF_STEPS.indexOf(b))[0] ?? 'acceptance';
  if (FINAL_HANDOFF_STEPS.includes(current)) return undefined;
  const next = HANDOFF_STEPS[HANDOFF_STEPS.indexOf(current) + 1];
  return next === undefined ? undefined : HandoffStepSchema.parse(next);
}

function groupByHandoff(cases: readonly Case[]): Case[][] {
  const groups = new Map<string, Case[]>();
  for (const kase of cases) {
    if (!kase.handoff) continue;
    const group = groups.get(kase.handoff.id) ?? [];
    group.push(kase);
    groups.set(kase.handoff.id, group);
  }
  return [...groups.values()];
}

async function backOfficeDesk(ctx: ServerContext, request: FastifyRequest, hallId: string): Promise<Desk> {
  const principal = await requirePrincipal(ctx, request, { staffRoles: ['officer', 'hall_manager', 'supervisor'], hallId });
  if (principal.kind !== 'staff') throw forbidden();
  const row = await ctx.db
    .selectFrom('staff')
    .leftJoin('departments', 'departments.id', 'staff.department_id')
    .select(['staff.department_id', 'departments.name_zh'])
    .where('staff.id', '=', principal.id)
    .executeTakeFirst();
  const manager = ['hall_manager', 'supervisor', 'city_admin'].some((r) => principal.roles.includes(r as never));
  return { hallId, staffId: principal.id, departmentId: row?.department_id ?? null, departmentName: row?.name_zh ?? null, manager };
}

/**
 * The cases of a scanned slip a desk of `deskHallId` deals with: its own hall's slip, or another
 * hall's whose every paper goes to (or is already in) this hall (跨厅流转); none otherwise.
 */
async function slipCasesAtDesk(ctx: ServerContext, deskHallId: string, slip: { hallId: string; handoffId: string }): Promise<Case[]> {
  const cases = await handoffCasesOf(ctx.db, slip.hallId, slip.handoffId);
  if (slip.hallId === deskHallId) return cases;
  return cases.length > 0 && cases.every((c) => handoffDeskHallMaySign(c, deskHallId)) ? cases : [];
}

/** Slips as the desk may see them, each named from its case's own hall's catalogue (a paper from another hall included). */
async function viewsInScope(ctx: ServerContext, desk: Desk, cases: readonly Case[]) {
  const catalogues = new Map<string, Catalogue>();
  for (const hallId of new Set(cases.map((c) => c.hallId))) catalogues.set(hallId, await loadCatalogue(ctx.db, hallId));
  const mine = cases.filter((c) => inScope(desk, c, catalogues.get(c.hallId)!));
  return groupByHandoff(mine).map((group) => handoffView(group, catalogues.get(group[0]!.hallId)!, ctx.clock()));
}

/** Officers handle their own department's papers (in another hall: the department of the same name); hall managers every paper of the hall. */
function inScope(desk: Desk, kase: Case, catalogue: Pick<Catalogue, 'services' | 'departments'>): boolean {
  if (desk.manager) return true;
  const departmentId = kase.departmentId ?? catalogue.services.find((s) => s.id === kase.serviceId)?.departmentId;
  if (departmentId === desk.departmentId) return true;
  const name = catalogue.departments?.find((d) => d.id === departmentId)?.name.zh;
  return kase.hallId !== desk.hallId && name !== undefined && name === desk.departmentName;
}
