import type { FastifyRequest } from 'fastify';
import type { Hall } from '@hall/shared';
import type { ServerContext } from '../context';
import { requirePrincipal } from '../http/auth';
import { notFound } from '../http/errors';
import type { StaffPrincipal } from '../http/principal';
import { listHalls } from '../store/halls';

/** Who may read hall statistics, supervision and the live hall. */
export const OVERSIGHT_ROLES = ['hall_manager', 'supervisor'] as const;

export interface HallScope {
  principal: StaffPrincipal;
  halls: Hall[];
}

/**
 * The halls a request may look at: a hall's staff see only their hall (asking for another
 * is 403); a city administrator sees the one asked for, or every hall.
 */
export async function resolveHallScope(ctx: ServerContext, request: FastifyRequest, hallId: string | undefined): Promise<HallScope> {
  const principal = await requirePrincipal(ctx, request, { staffRoles: OVERSIGHT_ROLES });
  if (principal.kind !== 'staff') throw new Error('unreachable: oversight roles are staff roles');
  const wanted = hallId ?? (principal.roles.includes('city_admin') ? undefined : (principal.hallId ?? undefined));
  if (wanted !== undefined) await requirePrincipal(ctx, request, { staffRoles: OVERSIGHT_ROLES, hallId: wanted });
  const all = await listHalls(ctx.db);
  const halls = wanted === undefined ? all : all.filter((h) => h.id === wanted);
  if (wanted !== undefined && halls.length === 0) throw notFound('hall', wanted);
  return { principal, halls };
}

/** Minutes a time zone is ahead of UTC at an instant (Asia/Shanghai: 480). */
export function utcOffsetMinutes(timeZone: string, at: Date): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
  return Math.round((asUtc - Math.floor(at.getTime() / 60_000) * 60_000) / 60_000);
}
