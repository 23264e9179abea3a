import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { CaseRulesSchema, caseMaterials, SpecialProcedureSchema, FormValuesSchema, IdSchema, maskIdNumber, maskName, maskPhone, SupplementItemSchema, type Case, type Catalogue } from '@hall/shared';
import type { ServerContext } from '../context';
import { hallForEditing, hallForReading } from '../admin/access';
import { requirePrincipal } from '../http/auth';
import { ApiError, forbidden, notFound } from '../http/errors';
import { HallParams } from '../http/params';
import type { StaffPrincipal } from '../http/principal';
import { parseRequest } from '../http/validate';
import { auditedWrite } from '../http/write';
import { recordAudit } from '../store/audit';
import { loadCatalogue } from '../sync/catalogue';
import { openFormValues } from '../sync/formValues';
import { syncDb } from '../sync/tables';
import { applyCentralStep } from './central';
import { noticeDb } from './notify';
import { caseLifecycleCounts } from './stats';
import { caseOfRow, findCase, saveHallCaseRules } from './store';
import { startCaseSweep, sweepCases } from './sweep';

const CaseParams = HallParams.extend({ caseId: z.string().min(1).max(80) });
const Note = z.string().trim().max(500).optional();

/** Back-office actions: the step each one makes and the body it takes. */
const ACTIONS = {
  approve: { type: 'approveCase', body: z.object({ note: Note }).strict() },
  deny: { type: 'denyCase', body: z.object({ reason: z.string().trim().min(2).max(500) }).strict() },
  supplement: { type: 'requestSupplement', body: z.object({ items: z.array(SupplementItemSchema).min(1).max(50) }).strict() },
  transfer: { type: 'transferCase', body: z.object({ toStaffId: IdSchema, note: z.string().trim().max(200).optional() }).strict() },
  'answer-consult': { type: 'answerConsult', body: z.object({ approve: z.boolean(), answer: z.string().trim().max(500).default('') }).strict() },
  complete: { type: 'completeCase', body: z.object({ note: Note }).strict() },
  'approve-withdrawal': { type: 'approveWithdrawal', body: z.object({}).strict() },
  'special-start': { type: 'startSpecialProcedure', body: z.object({ kind: SpecialProcedureSchema.shape.kind, reason: z.string().trim().min(1).max(200), days: z.number().int().min(1).max(180) }).strict() },
  'special-end': { type: 'endSpecialProcedure', body: z.object({ note: z.string().trim().max(200).optional() }).strict() },
} as const;
type Action = keyof typeof ACTIONS;

interface BackOfficer {
  principal: StaffPrincipal;
  departmentId: string | null;
  officer: boolean;
  manager: boolean;
}

/**
 * 后台审批 (issue 16). The back office is a page of the console, not a fourth station role:
 * officers sit at department desks, often outside the hall, always online; they need no
 * hall hardware, only the case, and the console already has staff sign-in, roles and
 * audit. Officers see and act on their own department's cases; hall managers approve
 * withdrawals and see everything of their hall.
 */
export const caseLifecyclePlugin: FastifyPluginAsync<{ sweepIntervalMs?: number }> = async (app, options) => {
  const ctx = app.hall;
  const interval = options.sweepIntervalMs ?? Number(process.env.HALL_CASE_SWEEP_INTERVAL_MS ?? 5 * 60_000);
  if (interval > 0) {
    const stop = startCaseSweep(ctx, interval, app.log);
    app.addHook('onClose', stop);
  }

  app.get('/halls/:hallId/case-rules', async (request) => {
    const { params } = parseRequest(request, { params: HallParams });
    await hallForReading(ctx, request, params.hallId);
    return { rules: (await loadCatalogue(ctx.db, params.hallId)).caseRules };
  });

  app.put('/halls/:hallId/case-rules', async (request) => {
    const { params, body } = parseRequest(request, { params: HallParams, body: CaseRulesSchema.strict() });
    const { principal } = await hallForEditing(ctx, request, params.hallId, 'the case time limits');
    await auditedWrite(ctx, principal, { action: 'update', entity: 'case_rules', entityId: params.hallId, hallId: params.hallId, detail: body }, (trx) =>
      saveHallCaseRules(trx, params.hallId, body, ctx.clock().toISOString()),
    );
    return { rules: body };
  });

  app.post('/halls/:hallId/case-sweep/run', async (request) => {
    const { params } = parseRequest(request, { params: HallParams });
    await hallForEditing(ctx, request, params.hallId, 'case deadlines');
    return sweepCases(ctx, app.log);
  });

  app.get('/halls/:hallId/case-stats', async (request) => {
    const { params, query } = parseRequest(request, { params: HallParams, query: z.object({ from: z.string().datetime(), to: z.string().datetime() }) });
    await hallForReading(ctx, request, params.hallId);
    return caseLifecycleCounts(ctx.db, params.hallId, query.from, query.to, ctx.clock());
  });

  app.get('/halls/:hallId/back-office/cases', async (request) => {
    const { params, query } = parseRequest(request, {
      params: HallParams,
      query: z.object({
        stage: z.enum(['acceptance', 'review', 'special', 'supplement', 'collection', 'done']).optional(),
        mine: z.enum(['0', '1']).optional(),
        q: z.string().trim().max(60).optional(),
        limit: z.coerce.number().int().min(1).max(500).default(200),
      }),
    });
    const who = await backOfficer(ctx, request, params.hallId);
    const catalogue = await loadCatalogue(ctx.db, params.hallId);
    let rows = ctx.db.selectFrom('cases').select(['data_json', 'stage', 'stage_due_at']).where('hall_id', '=', params.hallId).where('data_json', 'is not', null);
    if (!who.manager) rows = rows.where('department_id', '=', who.departmentId ?? '');
    if (query.stage) rows = rows.where('stage', '=', query.stage);
    else rows = rows.where('stage', 'in', ['acceptance', 'review', 'special', 'supplement', 'collection']);
    if (query.mine === '1') rows = rows.where('assigned_staff_id', '=', who.principal.id);
    if (query.q) rows = rows.where((eb) => eb.or([eb('number', '=', query.q ?? ''), eb('id', '=', query.q ?? '')]));
    const found = await rows.orderBy('stage_due_at').limit(query.limit).execute();
    const now = ctx.clock().getTime();
    return {
      cases: found.flatMap((row) => {
        const kase = caseOfRow(row);
        return kase ? [workItem(kase, catalogue, row.stage ?? 'done', row.stage_due_at, now)] : [];
      }),
    };
  });

  app.get('/halls/:hallId/back-office/cases/:caseId', async (request) => {
    const { params, query } = parseRequest(request, { params: CaseParams, query: z.object({ reveal: z.enum(['0', '1']).optional() }) });
    const who = await backOfficer(ctx, request, params.hallId);
    const kase = await caseInScope(ctx, who, params.hallId, params.caseId);
    const catalogue = await loadCatalogue(ctx.db, params.hallId);
    const service = catalogue.services.find((s) => s.id === kase.serviceId);
    const form = catalogue.forms.find((f) => f.id === kase.formId);
    const stored = await syncDb(ctx.db).selectFrom('sync_case_forms').select('values_json').where('case_id', '=', kase.id).executeTakeFirst();
    const values = stored ? FormValuesSchema.catch({}).parse(openFormValues(ctx.dataKeys, kase.id, stored.values_json)) : {};
    const reveal = query.reveal === '1';
    // Reading a citizen's data in clear is a fact the audit log keeps.
    if (reveal) await recordAudit(ctx.db, { actor: { kind: 'staff', id: who.principal.id }, action: 'reveal', entity: 'case_form', entityId: kase.id, hallId: params.hallId }, ctx.clock());
    const fields = form ? form.sections.flatMap((s) => s.fields) : [];
    return {
      case: kase,
      service: service ? { id: service.id, name: service.name, departmentId: service.departmentId, promisedDays: service.guide.promisedDays } : null,
      materials: service ? caseMaterials(service, kase).map((m) => ({ id: m.id, name: m.name, required: m.required, received: kase.materials.find((r) => r.materialId === m.id) ?? null, pending: kase.pendingMaterialIds.includes(m.id) })) : [],
      form: fields
        .filter((f) => values[f.id] !== undefined)
        .map((f) => ({ id: f.id, label: f.label, kind: f.kind, personal: f.personal, value: shown(optionLabels(values[f.id], f.options), f.kind, f.personal && !reveal) })),
      revealed: reveal,
      officers: await departmentOfficers(ctx, params.hallId, kase.departmentId ?? service?.departmentId),
      staffNames: await staffNames(ctx, kase),
    };
  });

  app.post('/halls/:hallId/back-office/cases/:caseId/:action', async (request, reply) => {
    const { params } = parseRequest(request, { params: CaseParams.extend({ action: z.enum(Object.keys(ACTIONS) as [Action, ...Action[]]) }) });
    const spec = ACTIONS[params.action];
    const parsed = spec.body.safeParse(request.body ?? {});
    if (!parsed.success) throw new ApiError(400, 'invalid_request', parsed.error.issues[0]?.message ?? 'invalid body');
    const who = await backOfficer(ctx, request, params.hallId);
    const kase = await caseInScope(ctx, who, params.hallId, params.caseId);
    if (params.action === 'approve-withdrawal' ? !who.manager : !who.officer) {
      throw forbidden(params.action === 'approve-withdrawal' ? 'only a hall manager approves a withdrawal' : 'only an officer of the case\'s department decides it');
    }
    if (params.action === 'transfer') {
      const to = (parsed.data as { toStaffId: string }).toStaffId;
      if (!(await departmentOfficers(ctx, params.hallId, kase.departmentId ?? (await loadCatalogue(ctx.db, params.hallId)).services.find((s) => s.id === kase.serviceId)?.departmentId)).some((o) => o.id === to)) throw new ApiError(400, 'invalid_request', `staff ${to} is not an officer of this case's department`);
    }
    const at = ctx.clock().toISOString();
    const extra = params.action === 'supplement' ? { supplementId: randomUUID() } : {};
    const step = await applyCentralStep(ctx, params.hallId, spec.type, { ...parsed.data, ...extra, caseId: kase.id, staffId: who.principal.id, at }, { kind: 'staff', id: who.principal.id });
    if (!step.ok) {
      void reply.code(409);
      return { error: step.code, message: step.reason };
    }
    return { case: step.kase };
  });

  app.get('/halls/:hallId/back-office/notices', async (request) => {
    const { params } = parseRequest(request, { params: HallParams });
    const who = await backOfficer(ctx, request, params.hallId);
    const notices = await noticeDb(ctx.db).selectFrom('staff_notices').selectAll().where('staff_id', '=', who.principal.id).orderBy('created_at', 'desc').limit(100).execute();
    return { notices: notices.map((n) => ({ id: n.id, caseId: n.case_id, kind: n.kind, text: n.text, at: n.created_at, read: n.read_at !== null })) };
  });

  app.post('/halls/:hallId/back-office/notices/:noticeId/read', async (request) => {
    const { params } = parseRequest(request, { params: HallParams.extend({ noticeId: z.string().uuid() }) });
    const who = await backOfficer(ctx, request, params.hallId);
    await noticeDb(ctx.db).updateTable('staff_notices').set({ read_at: ctx.clock().toISOString() }).where('id', '=', params.noticeId).where('staff_id', '=', who.principal.id).execute();
    return { ok: true };
  });
};

/** The signed-in officer or hall manager of this hall, with the department they review for. */
async function backOfficer(ctx: ServerContext, request: FastifyRequest, hallId: string): Promise<BackOfficer> {
  const principal = await requirePrincipal(ctx, request, { staffRoles: ['officer', 'hall_manager', 'supervisor'], hallId });
  if (principal.kind !== 'staff') throw forbidden();
  const row = await ctx.db.selectFrom('staff').select('department_id').where('id', '=', principal.id).executeTakeFirst();
  return {
    principal,
    departmentId: row?.department_id ?? null,
    officer: principal.roles.includes('officer'),
    manager: principal.roles.includes('hall_manager') || principal.roles.includes('supervisor') || principal.roles.includes('city_admin'),
  };
}

/** The case, if this person may see it: officers only their department's (a 404 otherwise, so ids do not leak). */
async function caseInScope(ctx: ServerContext, who: BackOfficer, hallId: string, idOrNumber: string): Promise<Case> {
  const kase = await findCase(ctx.db, hallId, idOrNumber);
  if (!kase) throw notFound('case', idOrNumber);
  const departmentId = kase.departmentId ?? (await loadCatalogue(ctx.db, hallId)).services.find((s) => s.id === kase.serviceId)?.departmentId;
  if (!who.manager && departmentId !== who.departmentId) throw notFound('case', idOrNumber);
  return kase;
}

async function departmentOfficers(ctx: ServerContext, hallId: string, departmentId: string | undefined): Promise<{ id: string; name: string; staffNumber: string }[]> {
  if (!departmentId) return [];
  const rows = await ctx.db.selectFrom('staff').select(['id', 'display_name', 'staff_number', 'roles_json']).where('hall_id', '=', hallId).where('department_id', '=', departmentId).where('active', '=', 1).execute();
  return rows.filter((r) => (JSON.parse(r.roles_json) as string[]).includes('officer')).map((r) => ({ id: r.id, name: r.display_name, staffNumber: r.staff_number }));
}

/**
 * Display names of the staff a case's timeline and its paper's hand-off name, another hall's
 * desk included (跨厅流转: that hall's officer signed the paper in). Staff names are not
 * personal data of citizens.
 */
async function staffNames(ctx: ServerContext, kase: Case): Promise<Record<string, string>> {
  const named = [...kase.timeline.map((s) => s.staffId), ...(kase.handoff?.moves ?? []).map((m) => m.staffId)];
  const ids = [...new Set(named.flatMap((id) => (id ? [id] : [])))];
  if (ids.length === 0) return {};
  const rows = await ctx.db.selectFrom('staff').select(['id', 'display_name', 'staff_number']).where('id', 'in', ids).execute();
  return Object.fromEntries(rows.map((r) => [r.id, `${r.display_name}（${r.staff_number}）`]));
}

/** A choice's stored values as the officer reads them: the options' Chinese labels. */
function optionLabels(value: unknown, options: readonly { value: string; label: { zh: string } }[] | undefined): unknown {
  if (!options) return value;
  const label = (v: unknown) => (typeof v === 'string' ? (options.find((o) => o.value === v)?.label.zh ?? v) : v);
  return Array.isArray(value) ? value.map(label) : label(value);
}

function shown(value: unknown, kind: string, mask: boolean): unknown {
  if (!mask || typeof value !== 'string') return value;
  if (kind === 'id_number') return maskIdNumber(value);
  if (kind === 'phone') return maskPhone(value);
  if (kind === 'address') return `${value.slice(0, 6)}****`;
  return maskName(value);
}

function workItem(kase: Case, catalogue: Catalogue, stage: string, stageDueAt: string | null, now: number) {
  const service = catalogue.services.find((s) => s.id === kase.serviceId);
  return {
    id: kase.id,
    number: kase.number ?? null,
    serviceName: service?.name ?? { zh: kase.serviceId },
    status: kase.status,
    stage,
    stageDueAt,
    overdue: stageDueAt !== null && Date.parse(stageDueAt) < now,
    citizen: kase.citizen?.maskedName ?? null,
    acceptedAt: kase.acceptedAt ?? null,
    assignedStaffId: kase.assignedStaffId ?? null,
    consultPending: kase.consult?.status === 'pending',
    withdrawalPending: kase.withdrawal !== undefined && kase.withdrawal.approvedAt === undefined,
    pendingMaterials: kase.pendingMaterialIds.length,
  };
}
