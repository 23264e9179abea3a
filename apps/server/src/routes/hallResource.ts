import type { FastifyPluginAsync } from 'fastify';
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { StaffRole } from '@hall/shared';
import type { Database } from '../db/schema';
import { requirePrincipal } from '../http/auth';
import { ApiError, notFound } from '../http/errors';
import { HallParams, IdParams } from '../http/params';
import { parseRequest } from '../http/validate';
import { auditedWrite } from '../http/write';
import { getHall } from '../store/halls';

/** A record that belongs to exactly one hall and never moves to another. */
export interface HallResource<T extends { id: string; hallId: string }> {
  /** Singular name, used for the response key, errors and audit: "counter". */
  name: string;
  /** Path segment and list response key: "counters". */
  plural: string;
  schema: z.ZodType<T>;
  editors: readonly StaffRole[];
  list(db: Kysely<Database>, hallId: string): Promise<unknown[]>;
  get(db: Kysely<Database>, id: string): Promise<(T & Record<string, unknown>) | undefined>;
  insert(db: Kysely<Database>, item: T, at: Date): Promise<void>;
  update(db: Kysely<Database>, item: T, at: Date): Promise<boolean>;
  /** Cross-checks against the rest of the hall; throws ApiError (422) on a bad reference. */
  check(db: Kysely<Database>, item: T): Promise<void>;
}

/**
 * Public reads plus audited create/replace for a hall-scoped resource:
 * `GET /halls/:hallId/<plural>`, `GET /<plural>/:id`, `POST /<plural>`, `PUT /<plural>/:id`.
 * Writes need one of `editors` in the record's own hall (or a city administrator).
 */
export function hallResourceRoutes<T extends { id: string; hallId: string }>(resource: HallResource<T>): FastifyPluginAsync {
  const { name, plural, editors } = resource;
  return async (app) => {
    const ctx = app.hall;
    const { db } = ctx;

    app.get(`/halls/:hallId/${plural}`, async (request) => {
      const { params } = parseRequest(request, { params: HallParams });
      if (!(await getHall(db, params.hallId))) throw notFound('hall', params.hallId);
      return { [plural]: await resource.list(db, params.hallId) };
    });

    app.get(`/${plural}/:id`, async (request) => {
      const { params } = parseRequest(request, { params: IdParams });
      const item = await resource.get(db, params.id);
      if (!item) throw notFound(name, params.id);
      return { [name]: item };
    });

    app.post(`/${plural}`, async (request, reply) => {
      const principal = await requirePrincipal(ctx, request, { staffRoles: editors });
      const { body } = parseRequest(request, { body: resource.schema });
      await requirePrincipal(ctx, request, { staffRoles: editors, hallId: body.hallId });
      await resource.check(db, body);
      await auditedWrite(ctx, principal, { action: 'create', entity: name, entityId: body.id, hallId: body.hallId }, (trx) =>
        resource.insert(trx, body, ctx.clock()),
      );
      return reply.code(201).send({ [name]: await resource.get(db, body.id) });
    });

    app.put(`/${plural}/:id`, async (request) => {
      const principal = await requirePrincipal(ctx, request, { staffRoles: editors });
      const { params, body } = parseRequest(request, { params: IdParams, body: resource.schema });
      if (body.id !== params.id) throw new ApiError(400, 'id_mismatch', 'body.id must equal the id in the path');
      const current = await resource.get(db, params.id);
      if (!current) throw notFound(name, params.id);
      await requirePrincipal(ctx, request, { staffRoles: editors, hallId: current.hallId });
      if (body.hallId !== current.hallId) throw new ApiError(400, 'invalid_request', `a ${name} cannot move to another hall`);
      await resource.check(db, body);
      await auditedWrite(ctx, principal, { action: 'update', entity: name, entityId: body.id, hallId: body.hallId }, (trx) =>
        resource.update(trx, body, ctx.clock()),
      );
      return { [name]: await resource.get(db, body.id) };
    });
  };
}
