import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { IdSchema, LocalizedTextSchema, type Department } from '@hall/shared';
import type { Database } from '../db/schema';
import { localized, toFlag } from '../db/json';
import { hallForEditing, hallForReading } from '../admin/access';
import { conflict, notFound } from '../http/errors';
import { HallParams } from '../http/params';
import { parseRequest } from '../http/validate';
import { auditedWrite } from '../http/write';

export type DepartmentView = Department & { active: boolean; staff: number; counters: number; services: number };

/** A hall's departments, switched-off ones included, with what still belongs to each. */
export async function listHallDepartments(db: Kysely<Database>, hallId: string): Promise<DepartmentView[]> {
  const [rows, staff, counters, services] = await Promise.all([
    db.selectFrom('departments').selectAll().where('hall_id', '=', hallId).orderBy('id').execute(),
    db.selectFrom('staff').select(['department_id']).where('hall_id', '=', hallId).where('active', '=', 1).execute(),
    db.selectFrom('counters').select(['department_id']).where('hall_id', '=', hallId).execute(),
    db.selectFrom('services').innerJoin('departments', 'departments.id', 'services.department_id').select(['services.department_id']).where('departments.hall_id', '=', hallId).execute(),
  ]);
  const count = (list: { department_id: string | null }[], id: string) => list.filter((r) => r.department_id === id).length;
  return rows.map((r) => ({
    id: r.id,
    hallId: r.hall_id,
    name: localized(r.name_zh, r.name_en),
    active: r.active === 1,
    staff: count(staff, r.id),
    counters: count(counters, r.id),
    services: count(services, r.id),
  }));
}

const CreateBody = z.object({ id: IdSchema.optional(), name: LocalizedTextSchema }).strict();
const UpdateBody = z
  .object({ name: LocalizedTextSchema, active: z.boolean() })
  .partial()
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'nothing to change');
const DepartmentParams = HallParams.extend({ id: IdSchema });

/** 部门管理: the hall's manager creates, renames and switches off departments; each change is audited. */
export const departmentRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.hall;
  const { db } = ctx;

  app.get('/admin/halls/:hallId/departments', async (request) => {
    const { params } = parseRequest(request, { params: HallParams });
    await hallForReading(ctx, request, params.hallId);
    return { departments: await listHallDepartments(db, params.hallId) };
  });

  app.post('/admin/halls/:hallId/departments', async (request, reply) => {
    const { params, body } = parseRequest(request, { params: HallParams, body: CreateBody });
    const { principal } = await hallForEditing(ctx, request, params.hallId, 'departments');
    const id = body.id ?? `${params.hallId}-dept-${randomUUID().slice(0, 8)}`;
    if (await db.selectFrom('departments').select('id').where('id', '=', id).executeTakeFirst()) throw conflict(`department ${id} already exists`);
    await auditedWrite(ctx, principal, { action: 'create', entity: 'department', entityId: id, hallId: params.hallId }, (trx) =>
      trx.insertInto('departments').values({ id, hall_id: params.hallId, name_zh: body.name.zh, name_en: body.name.en ?? null, active: 1 }).execute(),
    );
    return reply.code(201).send({ departments: await listHallDepartments(db, params.hallId) });
  });

  app.patch('/admin/halls/:hallId/departments/:id', async (request) => {
    const { params, body } = parseRequest(request, { params: DepartmentParams, body: UpdateBody });
    const { principal } = await hallForEditing(ctx, request, params.hallId, 'departments');
    const current = (await listHallDepartments(db, params.hallId)).find((d) => d.id === params.id);
    if (!current) throw notFound('department', params.id);
    // Switching off keeps history readable, so it waits until nothing current depends on it.
    if (body.active === false && current.active && current.staff + current.counters + current.services > 0) {
      throw conflict(`department ${params.id} still has ${current.staff} staff, ${current.counters} counters and ${current.services} services; move them first`);
    }
    await auditedWrite(
      ctx,
      principal,
      { action: 'update', entity: 'department', entityId: params.id, hallId: params.hallId, detail: { changed: Object.keys(body) } },
      (trx) =>
        trx
          .updateTable('departments')
          .set({
            ...(body.name && { name_zh: body.name.zh, name_en: body.name.en ?? null }),
            ...(body.active !== undefined && { active: toFlag(body.active) }),
          })
          .where('id', '=', params.id)
          .execute(),
    );
    return { departments: await listHallDepartments(db, params.hallId) };
  });
};
