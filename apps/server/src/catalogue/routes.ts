import { isDeepStrictEqual } from 'node:util';
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { IdSchema, ServiceSchema, SharedMaterialSchema, diffServices, type Service } from '@hall/shared';
import { hallForEditing, hallForReading } from '../admin/access';
import { ApiError, conflict, notFound } from '../http/errors';
import { HallParams, IdParams } from '../http/params';
import { actorOf } from '../http/principal';
import { parseRequest } from '../http/validate';
import { auditedWrite } from '../http/write';
import { hallOfService, listServices } from '../store/catalogue';
import { catalogueWorkbook, readCatalogueWorkbook, WorkbookProblem } from './excel';
import { buildImport } from './import';
import { libraryOf, saveServiceVersion, withLibrary } from './save';
import { deleteSharedMaterial, getServiceVersion, hallOfSharedMaterial, listServiceVersions, listSharedMaterials, putSharedMaterial } from './store';

const MaterialParams = z.object({ hallId: IdSchema, id: IdSchema });
const VersionParams = z.object({ id: IdSchema, version: z.coerce.number().int().positive() });
const DiffQuery = z.object({ from: z.coerce.number().int().positive(), to: z.coerce.number().int().positive() });
/** The workbook travels base64 in JSON, like every other console request. */
const ImportBody = z.object({ fileBase64: z.string().min(1).max(12_000_000) });
const IMPORT_BODY_LIMIT = 10 * 1024 * 1024;

/** Compared as stored: both through the schema, so key order and absent optional fields agree. */
function sameService(a: Service, b: Service | undefined): boolean {
  return b !== undefined && isDeepStrictEqual(ServiceSchema.parse(a), ServiceSchema.parse(b));
}

const usedBy = (services: readonly Service[], sharedId: string) => services.filter((s) => s.materials.some((m) => m.sharedId === sharedId));

/**
 * Issue 20, the catalogue in the console: the shared materials library, each service's
 * version history and diffs, tags, and the workbook import/export. Service create and
 * update stay in routes/services.ts and record their versions through ./save.
 */
export const catalogueRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.hall;
  const { db } = ctx;

  const readableService = async (request: Parameters<typeof hallForReading>[1], id: string) => {
    const hallId = await hallOfService(db, id);
    if (!hallId) throw notFound('service', id);
    await hallForReading(ctx, request, hallId);
  };

  app.get('/catalogue/halls/:hallId/shared-materials', async (request) => {
    const { params } = parseRequest(request, { params: HallParams });
    await hallForReading(ctx, request, params.hallId);
    const services = await listServices(db, { hallId: params.hallId });
    const materials = await listSharedMaterials(db, params.hallId);
    return { materials: materials.map((m) => ({ ...m, usedBy: usedBy(services, m.id).map((s) => ({ id: s.id, name: s.name })) })) };
  });

  // Saving an entry redraws it into every service that uses it, each save a new version of that service.
  app.put('/catalogue/halls/:hallId/shared-materials/:id', async (request) => {
    const { params, body } = parseRequest(request, { params: MaterialParams, body: SharedMaterialSchema });
    if (body.id !== params.id) throw new ApiError(400, 'id_mismatch', 'body.id must equal the id in the path');
    const { principal } = await hallForEditing(ctx, request, params.hallId, 'the shared materials library');
    const owner = await hallOfSharedMaterial(db, params.id);
    if (owner && owner !== params.hallId) throw conflict(`shared material ${params.id} belongs to another hall`);
    const at = ctx.clock();
    const users = usedBy(await listServices(db, { hallId: params.hallId }), params.id);
    // The whole library with this entry as saved: a service may draw other entries too.
    const library = await libraryOf(db, params.hallId);
    library.set(body.id, body);
    const updated = users.map((s) => withLibrary(s, library));
    await auditedWrite(
      ctx,
      principal,
      { action: owner ? 'update' : 'create', entity: 'shared_material', entityId: params.id, hallId: params.hallId, detail: { services: users.map((s) => s.id) } },
      async (trx) => {
        await putSharedMaterial(trx, params.hallId, body, at);
        for (const service of updated) await saveServiceVersion(trx, params.hallId, service, 'update', actorOf(principal), at);
      },
    );
    return { material: body, updatedServices: updated.map((s) => s.id) };
  });

  app.delete('/catalogue/halls/:hallId/shared-materials/:id', async (request) => {
    const { params } = parseRequest(request, { params: MaterialParams });
    const { principal } = await hallForEditing(ctx, request, params.hallId, 'the shared materials library');
    if ((await hallOfSharedMaterial(db, params.id)) !== params.hallId) throw notFound('shared material', params.id);
    const users = usedBy(await listServices(db, { hallId: params.hallId }), params.id);
    if (users.length > 0) throw conflict(`shared material ${params.id} is used by ${users.map((s) => s.name.zh).join('、')}`);
    await auditedWrite(ctx, principal, { action: 'delete', entity: 'shared_material', entityId: params.id, hallId: params.hallId }, (trx) => deleteSharedMaterial(trx, params.id));
    return { deleted: params.id };
  });

  app.get('/catalogue/halls/:hallId/tags', async (request) => {
    const { params } = parseRequest(request, { params: HallParams });
    await hallForReading(ctx, request, params.hallId);
    const counts = new Map<string, number>();
    for (const s of await listServices(db, { hallId: params.hallId })) for (const tag of s.tags ?? []) counts.set(tag, (counts.get(tag) ?? 0) + 1);
    return { tags: [...counts].sort(([a], [b]) => a.localeCompare(b, 'zh')).map(([tag, serviceCount]) => ({ tag, serviceCount })) };
  });

  app.get('/services/:id/versions', async (request) => {
    const { params } = parseRequest(request, { params: IdParams });
    await readableService(request, params.id);
    return { versions: await listServiceVersions(db, params.id) };
  });

  app.get('/services/:id/versions/:version', async (request) => {
    const { params } = parseRequest(request, { params: VersionParams });
    await readableService(request, params.id);
    const service = await getServiceVersion(db, params.id, params.version);
    if (!service) throw notFound(`version of service ${params.id}`, String(params.version));
    return { service };
  });

  app.get('/services/:id/diff', async (request) => {
    const { params, query } = parseRequest(request, { params: IdParams, query: DiffQuery });
    await readableService(request, params.id);
    const [from, to] = await Promise.all([getServiceVersion(db, params.id, query.from), getServiceVersion(db, params.id, query.to)]);
    if (!from) throw notFound(`version of service ${params.id}`, String(query.from));
    if (!to) throw notFound(`version of service ${params.id}`, String(query.to));
    return { from: query.from, to: query.to, diff: diffServices(from, to) };
  });

  app.get('/catalogue/halls/:hallId/export.xlsx', async (request, reply) => {
    const { params } = parseRequest(request, { params: HallParams });
    await hallForReading(ctx, request, params.hallId);
    const workbook = await catalogueWorkbook(await listServices(db, { hallId: params.hallId }));
    return reply
      .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="catalogue-${params.hallId}.xlsx"`)
      .send(workbook);
  });

  app.post('/catalogue/halls/:hallId/import', { bodyLimit: IMPORT_BODY_LIMIT }, async (request) => {
    const { params, body } = parseRequest(request, { params: HallParams, body: ImportBody });
    const { principal } = await hallForEditing(ctx, request, params.hallId, 'the catalogue');
    let rows;
    try {
      rows = await readCatalogueWorkbook(Buffer.from(body.fileBase64, 'base64'));
    } catch (e) {
      if (e instanceof WorkbookProblem) throw new ApiError(400, 'invalid_workbook', e.message);
      throw e;
    }
    const existing = new Map((await listServices(db, { hallId: params.hallId })).map((s) => [s.id, s]));
    const everywhere = await db.selectFrom('services').select('id').execute();
    const departments = await db.selectFrom('departments').select('id').where('hall_id', '=', params.hallId).execute();
    const queues = await db.selectFrom('queues').select('id').where('hall_id', '=', params.hallId).execute();
    const { services, errors } = buildImport(rows, {
      existing,
      foreignServiceIds: new Set(everywhere.map((r) => r.id).filter((id) => !existing.has(id))),
      departmentIds: new Set(departments.map((d) => d.id)),
      queueIds: new Set(queues.map((q) => q.id)),
      library: await libraryOf(db, params.hallId),
    });
    if (errors.length > 0) throw new ApiError(422, 'invalid_rows', `${errors.length} row(s) of the workbook are not valid; nothing was imported`, { rows: errors });
    // Unchanged rows are not saved again, so the history records only real changes.
    const changed = services.filter((s) => !sameService(s, existing.get(s.id)));
    const created = changed.filter((s) => !existing.has(s.id)).map((s) => s.id);
    const updated = changed.filter((s) => existing.has(s.id)).map((s) => s.id);
    if (changed.length > 0) {
      const at = ctx.clock();
      await auditedWrite(ctx, principal, { action: 'update', entity: 'service', entityId: 'catalogue-import', hallId: params.hallId, detail: { created, updated } }, async (trx) => {
        for (const s of changed) await saveServiceVersion(trx, params.hallId, s, existing.has(s.id) ? 'update' : 'create', actorOf(principal), at);
      });
    }
    return { created, updated, unchanged: services.length - changed.length };
  });
};
