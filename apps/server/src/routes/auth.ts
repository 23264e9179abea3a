import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { burnPasswordCheck, verifyPassword } from '../auth/password';
import { newToken } from '../auth/tokens';
import { bearerToken, requirePrincipal } from '../http/auth';
import { ApiError } from '../http/errors';
import { parseRequest } from '../http/validate';
import { recordAudit } from '../store/audit';
import { deleteExpiredSessions, deleteSession, insertSession } from '../store/sessions';
import { clearFailedLogins, getCredentialsByLogin, getStaff, lockStaff, recordFailedLogin } from '../store/staff';

export const LOGIN_POLICY = {
  maxFailures: 5,
  lockoutMinutes: 15,
  sessionHours: 12,
} as const;

const LoginBody = z.object({ login: z.string().min(1).max(64), password: z.string().min(1).max(256) });

/** Same answer for unknown login, wrong password, locked or inactive account. */
const invalidCredentials = () => new ApiError(401, 'invalid_credentials', 'login or password is incorrect');

export const authRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.hall;
  const { db } = ctx;

  app.post('/auth/login', async (request) => {
    const { body } = parseRequest(request, { body: LoginBody });
    const now = ctx.clock();
    const account = await getCredentialsByLogin(db, body.login);
    if (!account) {
      await burnPasswordCheck(body.password);
      throw invalidCredentials();
    }
    const locked = account.lockedUntil !== null && account.lockedUntil > now.toISOString();
    if (locked || !account.active) {
      await burnPasswordCheck(body.password);
      throw invalidCredentials();
    }
    if (!(await verifyPassword(body.password, account.passwordHash))) {
      await db.transaction().execute(async (trx) => {
        const failures = await recordFailedLogin(trx, account.id);
        if (failures >= LOGIN_POLICY.maxFailures) {
          await lockStaff(trx, account.id, new Date(now.getTime() + LOGIN_POLICY.lockoutMinutes * 60_000));
          await recordAudit(trx, { actor: { kind: 'staff', id: account.id }, action: 'lockout', entity: 'staff', entityId: account.id, hallId: account.hallId }, now);
        }
      });
      throw invalidCredentials();
    }
    const token = newToken('staffSession');
    const expiresAt = new Date(now.getTime() + LOGIN_POLICY.sessionHours * 3_600_000);
    await db.transaction().execute(async (trx) => {
      await clearFailedLogins(trx, account.id);
      // Logins are rare enough to sweep expired sessions here instead of in a timer.
      await deleteExpiredSessions(trx, now);
      await insertSession(trx, token, account.id, now, expiresAt);
      await recordAudit(trx, { actor: { kind: 'staff', id: account.id }, action: 'login', entity: 'staff', entityId: account.id, hallId: account.hallId }, now);
    });
    return { token, expiresAt: expiresAt.toISOString(), staff: await getStaff(db, account.id) };
  });

  app.post('/auth/logout', async (request, reply) => {
    const principal = await requirePrincipal(ctx, request);
    const token = bearerToken(request);
    if (principal.kind !== 'staff' || !token) throw new ApiError(400, 'invalid_request', 'only staff sessions log out');
    await db.transaction().execute(async (trx) => {
      await deleteSession(trx, token);
      await recordAudit(trx, { actor: { kind: 'staff', id: principal.id }, action: 'logout', entity: 'staff', entityId: principal.id, hallId: principal.hallId }, ctx.clock());
    });
    return reply.code(204).send();
  });

  app.get('/auth/me', async (request) => {
    const principal = await requirePrincipal(ctx, request);
    if (principal.kind === 'staff') return { principal, staff: await getStaff(db, principal.id) };
    return { principal };
  });
};
