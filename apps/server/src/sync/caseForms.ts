import type { FastifyPluginAsync } from 'fastify';
import { CaseFormQuerySchema, CaseFormSchema, SYNC_PATHS, type CaseForm, type CaseFormQuery, type CaseFormsResponse } from '@hall/shared';
import type { ServerContext } from '../context';
import { requirePrincipal } from '../http/auth';
import { ApiError, notFound } from '../http/errors';
import { parseRequest } from '../http/validate';
import { openFormValues } from './formValues';
import { syncDb } from './tables';

/**
 * The kiosk's form of a case, read back at the counter (回显). A case or ticket of another
 * hall answers 404 exactly like one that does not exist, so a device cannot probe other
 * halls' ids. Values are personal data: answered, never logged.
 */
export async function readCaseForms(ctx: ServerContext, hallId: string, query: CaseFormQuery): Promise<CaseFormsResponse> {
  const db = syncDb(ctx.db);
  if ('ticketId' in query) {
    const ticket = await db.selectFrom('tickets').select('id').where('id', '=', query.ticketId).where('hall_id', '=', hallId).executeTakeFirst();
    if (!ticket) throw notFound('ticket', query.ticketId);
  } else {
    const kase = await db.selectFrom('cases').select('id').where('id', '=', query.caseId).where('hall_id', '=', hallId).executeTakeFirst();
    if (!kase) throw notFound('case', query.caseId);
  }
  const rows = await db
    .selectFrom('cases as c')
    .innerJoin('sync_case_forms as f', 'f.case_id', 'c.id')
    .select(['c.id', 'c.ticket_id', 'c.service_id', 'c.situation_id', 'c.form_id', 'c.form_version', 'c.answers_json', 'f.values_json', 'c.submitted_at'])
    .where('c.hall_id', '=', hallId)
    .where('ticketId' in query ? 'c.ticket_id' : 'c.id', '=', 'ticketId' in query ? query.ticketId : query.caseId)
    .orderBy('c.submitted_at')
    .orderBy('c.id')
    .execute();
  const forms: CaseForm[] = rows.map((r) =>
    CaseFormSchema.parse({
      caseId: r.id,
      ...(r.ticket_id === null ? {} : { ticketId: r.ticket_id }),
      serviceId: r.service_id,
      ...(r.situation_id === null ? {} : { situationId: r.situation_id }),
      ...(r.form_id === null ? {} : { formId: r.form_id }),
      ...(r.form_version === null ? {} : { formVersion: Number(r.form_version) }),
      answers: JSON.parse(r.answers_json) as unknown,
      values: openFormValues(ctx.dataKeys, r.id, r.values_json),
      submittedAt: r.submitted_at,
    }),
  );
  return { forms };
}

/** GET …/sync/case-forms?caseId=… | ?ticketId=…: counter devices of the case's hall only. */
export const caseFormsPlugin: FastifyPluginAsync = async (app) => {
  const ctx: ServerContext = app.hall;
  app.get(SYNC_PATHS.caseForms, async (request) => {
    const principal = await requirePrincipal(ctx, request, { deviceRoles: ['counter'] });
    if (principal.kind !== 'device' || principal.hallId === null) throw new ApiError(403, 'forbidden', 'case forms are for counter devices');
    const { query } = parseRequest(request, { query: CaseFormQuerySchema });
    return readCaseForms(ctx, principal.hallId, query);
  });
};
