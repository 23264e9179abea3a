import type { FastifyRequest } from 'fastify';
import type { ServerContext } from '../context';
import { forbidden, notFound } from '../http/errors';
import { resolveHallScope } from '../stats/scope';

/**
 * The hall a console request reads: its managers and supervisors (and the city
 * administrator) may look; staff of another hall get 403, an unknown hall 404.
 */
export async function hallForReading(ctx: ServerContext, request: FastifyRequest, hallId: string) {
  const scope = await resolveHallScope(ctx, request, hallId);
  const hall = scope.halls[0];
  if (!hall) throw notFound('hall', hallId);
  return { ...scope, hall };
}

/** As hallForReading, but only a hall manager of that hall or a city administrator may change it. */
export async function hallForEditing(ctx: ServerContext, request: FastifyRequest, hallId: string, what: string) {
  const scope = await hallForReading(ctx, request, hallId);
  const roles = scope.principal.roles;
  if (!roles.includes('hall_manager') && !roles.includes('city_admin')) throw forbidden(`only a hall manager edits ${what}`);
  return scope;
}
