import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { StaffRoleSchema } from '@hall/shared';
import type { ServerContext } from '../context';
import { tokenKind, type TokenKind } from '../auth/tokens';
import { findDeviceByCredential } from '../store/devices';
import { findSessionStaff } from '../store/sessions';
import { unauthorized } from './errors';
import { assertAllowed, type AccessRule, type Principal } from './principal';

type Resolver = (ctx: ServerContext, token: string) => Promise<Principal | undefined>;

const RolesSchema = z.array(StaffRoleSchema);

/** One resolver per token kind; a new credential type adds a prefix and a resolver here. */
const resolvers: Record<TokenKind, Resolver> = {
  async staffSession(ctx, token) {
    const row = await findSessionStaff(ctx.db, token, ctx.clock());
    if (!row) return undefined;
    const roles = RolesSchema.safeParse(JSON.parse(row.roles_json));
    if (!roles.success) return undefined;
    return { kind: 'staff', id: row.id, login: row.login, hallId: row.hall_id, roles: roles.data };
  },
  async device(ctx, token) {
    const device = await findDeviceByCredential(ctx.db, token);
    return device && { kind: 'device', id: device.id, hallId: device.hallId, role: device.role };
  },
};

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/** Subprotocol a WebSocket client offers (and the server selects) when it authenticates by protocol. */
export const WS_PROTOCOL = 'hall.v1';
const WS_TOKEN_PREFIX = 'bearer.';

/**
 * Browsers cannot set headers on a WebSocket, so they offer the token as a subprotocol:
 * `new WebSocket(url, ['hall.v1', 'bearer.' + token])`. Tokens are base64url, valid there.
 */
export function webSocketProtocolToken(request: FastifyRequest): string | undefined {
  const header = request.headers['sec-websocket-protocol'];
  if (typeof header !== 'string') return undefined;
  const offered = header.split(',').map((p) => p.trim());
  return offered.find((p) => p.startsWith(WS_TOKEN_PREFIX))?.slice(WS_TOKEN_PREFIX.length) || undefined;
}

/** The caller's principal, or null when no valid credential came with the request. */
export async function authenticate(ctx: ServerContext, request: FastifyRequest, token = bearerToken(request)): Promise<Principal | null> {
  if (request.principal !== undefined) return request.principal;
  const kind = token ? tokenKind(token) : undefined;
  request.principal = token && kind ? ((await resolvers[kind](ctx, token)) ?? null) : null;
  return request.principal;
}

export async function requirePrincipal(ctx: ServerContext, request: FastifyRequest, rule?: AccessRule): Promise<Principal> {
  const principal = await authenticate(ctx, request);
  if (!principal) {
    throw unauthorized(request.headers.authorization ? 'invalid or expired credentials' : 'authentication required');
  }
  if (rule) assertAllowed(principal, rule);
  return principal;
}
