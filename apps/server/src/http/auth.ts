import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { StaffRoleSchema } from '@hall/shared';
import type { ServerContext } from '../context';
import { tokenKind, type TokenKind } from '../auth/tokens';
import { CONTACT_STAMP_MS, findDeviceByCredential, touchDevice } from '../store/devices';
import { findSessionStaff } from '../store/sessions';
import { unauthorized } from './errors';
import { assertAllowed, type AccessRule, type Principal } from './principal';

/** Per server, when each device's contact was last written: most calls need no write at all. */
const contactStamps = new WeakMap<ServerContext, Map<string, number>>();

async function noteContact(ctx: ServerContext, deviceId: string): Promise<void> {
  const now = ctx.clock();
  let stamps = contactStamps.get(ctx);
  if (!stamps) contactStamps.set(ctx, (stamps = new Map()));
  const last = stamps.get(deviceId);
  if (last !== undefined && now.getTime() - last < CONTACT_STAMP_MS && now.getTime() >= last) return;
  stamps.set(deviceId, now.getTime());
  await touchDevice(ctx.db, deviceId, now);
}

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
    const device = await findDeviceByCredential(ctx.db, token, ctx.clock());
    if (!device) return undefined;
    // Every authenticated call is a contact (pull, push, catalogue, the poke socket, locker
    // events): the console shows a device online by its latest one, whatever it was.
    await noteContact(ctx, device.id);
    return { kind: 'device', id: device.id, hallId: device.hallId, role: device.role, ...(device.counterId ? { counterId: device.counterId } : {}) };
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
