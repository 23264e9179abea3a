import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { ServerContext } from '../context';
import { z } from 'zod';
import { isRefusal, type Refusal } from '../auth/loginGuard';
import { burnPasswordCheck, PasswordHashingBusyError, verifyPassword } from '../auth/password';
import { newToken } from '../auth/tokens';
import { bearerToken, requirePrincipal } from '../http/auth';
import { ApiError } from '../http/errors';
import { parseRequest } from '../http/validate';
import { recordAudit } from '../store/audit';
import { deleteExpiredSessions, deleteSession, insertSession } from '../store/sessions';
import { clearFailedLogins, getCredentialsByLogin, getStaff, lockStaff, recordFailedLogin } from '../store/staff';

export const LoginBody = z.object({ login: z.string().min(1).max(64), password: z.string().min(1).max(256) });

/** Same answer for unknown login, wrong password, locked or inactive account. */
const invalidCredentials = () => new ApiError(401, 'invalid_credentials', 'login or password is incorrect');

const REFUSAL_MESSAGE: Record<Refusal['reason'], string> = {
  global: 'too many login attempts on this server right now; try again shortly',
  address: 'too many login attempts from this address; try again later',
  // Never reached by callers: an account shut for one address answers like a wrong password.
  account_address: 'login or password is incorrect',
};

/**
 * A staff member's password sign-in with every abuse limit (loginGuard): the console's login
 * and a clerk's sign-in at a counter station go through this one path.
 */
export async function signInWithPassword(
  ctx: ServerContext,
  body: { login: string; password: string },
  address: string,
  reply: FastifyReply,
  auditDetail?: Record<string, unknown>,
): Promise<{ token: string; expiresAt: string; staffId: string }> {
  const { db } = ctx;
  const guard = ctx.loginGuard;
  const policy = guard.policy;
  // The attempt is counted here, synchronously, before anything is awaited: requests racing
  // in parallel each take a slot, and those past the limit never reach a password check.
  const ticket = guard.begin(address);
  if (isRefusal(ticket)) {
    void reply.header('retry-after', String(ticket.retryAfterSeconds));
    throw new ApiError(429, 'too_many_attempts', REFUSAL_MESSAGE[ticket.reason], { retryAfterSeconds: ticket.retryAfterSeconds });
  }
  try {
    const now = ctx.clock();
    const account = await getCredentialsByLogin(db, body.login);
    if (!account || !account.active) {
      await burnPasswordCheck(body.password);
      throw invalidCredentials();
    }
    // Shut for this address only: the clerk at their own counter still signs in.
    const guess = guard.guessAt(account.id, address);
    if (typeof guess !== 'number') {
      await burnPasswordCheck(body.password);
      throw invalidCredentials();
    }
    const locked = account.lockedUntil !== null && account.lockedUntil > now.toISOString();
    if (locked) {
      await burnPasswordCheck(body.password);
      throw invalidCredentials();
    }
    // The account-wide backstop also counts before the check, atomically in SQL, so guesses
    // spread over instances and addresses cannot pass it in parallel either.
    const counted = await recordFailedLogin(db, account.id);
    if (counted > policy.accountFailures) {
      await burnPasswordCheck(body.password);
      throw invalidCredentials();
    }
    if (!(await verifyPassword(body.password, account.passwordHash))) {
      const lockAccount = counted >= policy.accountFailures;
      const shutForAddress = guess >= policy.perAccountAddressFailures;
      if (lockAccount || shutForAddress) {
        await db.transaction().execute(async (trx) => {
          if (lockAccount) await lockStaff(trx, account.id, new Date(now.getTime() + policy.accountLockoutMinutes * 60_000));
          const detail = lockAccount ? { scope: 'account', minutes: policy.accountLockoutMinutes } : { scope: 'address', address, minutes: policy.windowMinutes };
          await recordAudit(trx, { actor: { kind: 'staff', id: account.id }, action: 'lockout', entity: 'staff', entityId: account.id, hallId: account.hallId, detail }, now);
        });
      }
      throw invalidCredentials();
    }
    ticket.succeeded(account.id);
    const token = newToken('staffSession');
    const expiresAt = new Date(now.getTime() + policy.sessionHours * 3_600_000);
    await db.transaction().execute(async (trx) => {
      await clearFailedLogins(trx, account.id);
      // Logins are rare enough to sweep expired sessions here instead of in a timer.
      await deleteExpiredSessions(trx, now);
      await insertSession(trx, token, account.id, now, expiresAt);
      await recordAudit(trx, { actor: { kind: 'staff', id: account.id }, action: 'login', entity: 'staff', entityId: account.id, hallId: account.hallId, ...(auditDetail ? { detail: auditDetail } : {}) }, now);
    });
    return { token, expiresAt: expiresAt.toISOString(), staffId: account.id };
  } catch (error) {
    ticket.failed();
    if (error instanceof PasswordHashingBusyError) {
      void reply.header('retry-after', '1');
      throw new ApiError(503, 'busy', 'the server is busy checking passwords; try again in a moment');
    }
    throw error;
  }
}

export const authRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.hall;
  const { db } = ctx;

  app.post('/auth/login', async (request, reply) => {
    const { body } = parseRequest(request, { body: LoginBody });
    const signedIn = await signInWithPassword(ctx, body, request.ip, reply);
    return { token: signedIn.token, expiresAt: signedIn.expiresAt, staff: await getStaff(db, signedIn.staffId) };
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
