import { createCipheriv, createDecipheriv, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { ClerkSignInResponseSchema, StaffSchema, type Staff } from '@hall/shared';
import type { ClerkKey } from '../../clerk/session';
import { CentralApi, centralApiBase } from '../../central/client';
import { CENTRAL_ROUTES } from '../../central/routes';
import { SyncHttpError, type SyncClient } from '../../sync/client';
import type { CounterRepository } from './repository';

/** Same policy as the central API, so a clerk meets the same rule online and offline. */
export const LOCAL_LOGIN_POLICY = { maxFailures: 5, lockoutMinutes: 15 } as const;

/** Local verifier cost: lower than the server's (a counter PC checks one clerk a day). */
const VERIFIER_COST = { N: 16_384, r: 8, p: 1 };

export type LoginOutcome =
  | { ok: true; staff: Staff; offline: boolean; clerkKey: ClerkKey; token?: string }
  | {
      ok: false;
      code: 'invalid_credentials' | 'locked' | 'not_a_clerk' | 'offline_unknown' | 'counter_not_bound' | 'too_many_attempts' | 'refused';
      message: string;
    };

function derive(password: string, salt: Buffer, cost: { N: number; r: number; p: number }): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, 32, { ...cost, maxmem: 64 * 1024 * 1024 }, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

export async function makeVerifier(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, VERIFIER_COST);
  return ['scrypt', VERIFIER_COST.N, VERIFIER_COST.r, VERIFIER_COST.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function checkVerifier(password: string, verifier: string): Promise<boolean> {
  const [kind, n, r, p, salt, key] = verifier.split('$');
  if (kind !== 'scrypt' || !n || !r || !p || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const actual = await derive(password, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p) });
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/**
 * The clerk key sealed under a key derived from the password (its own salt: the verifier
 * beside it must not open it), so only the clerk, typing the password, opens it offline.
 */
export async function wrapClerkKey(password: string, key: ClerkKey): Promise<string> {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', await derive(password, salt, VERIFIER_COST), iv);
  cipher.setAAD(Buffer.from(key.id));
  const sealed = Buffer.concat([cipher.update(key.secret), cipher.final(), cipher.getAuthTag()]);
  return ['ck1', key.id, VERIFIER_COST.N, VERIFIER_COST.r, VERIFIER_COST.p, salt.toString('base64url'), iv.toString('base64url'), sealed.toString('base64url')].join('$');
}

export async function unwrapClerkKey(password: string, wrapped: string): Promise<ClerkKey | undefined> {
  const [kind, id, n, r, p, salt, iv, sealed] = wrapped.split('$');
  if (kind !== 'ck1' || !id || !n || !r || !p || !salt || !iv || !sealed) return undefined;
  const bytes = Buffer.from(sealed, 'base64url');
  if (bytes.length <= 16) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', await derive(password, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p) }), Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(id));
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    return { id, secret: Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - 16)), decipher.final()]) };
  } catch {
    return undefined;
  }
}

/**
 * A clerk's sign-in at the central API, as this counter device (SyncClient.clerkSignIn):
 * the reply, or undefined when the API could not be reached (offline), not a refusal.
 */
export type CentralLogin = (login: string, password: string) => Promise<{ status: number; body: unknown } | undefined>;

export function syncCentralLogin(client: SyncClient, timeoutMs = 4000): CentralLogin {
  return async (login, password) => {
    try {
      // A clerk at the window waits this long for a hung API before the offline sign-in.
      return { status: 200, body: await client.clerkSignIn(login, password, AbortSignal.timeout(timeoutMs)) };
    } catch (error) {
      if (!(error instanceof SyncHttpError) || error.status === 0 || error.status >= 500) return undefined;
      return { status: error.status, body: { error: { code: error.code, message: error.message } } };
    }
  };
}

const ErrorReply = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

/** The statements of counter.db a sign-in needs (CounterRepository). */
export type ClerkCacheRepository = Pick<
  CounterRepository,
  'cachedClerk' | 'cacheClerk' | 'forgetCachedClerk' | 'loginFailures' | 'recordLoginFailure' | 'clearLoginFailures'
>;

/**
 * Clerk login: the central API decides whenever it answers (scrypt and lockout there);
 * when it cannot be reached, the station checks a verifier it cached at the clerk's last
 * online login, with its own lockout, so a counter keeps working through an outage
 * without ever holding the server's hash. Either way the clerk key comes out, to prove
 * the session's counter mutations to the central API.
 */
export class ClerkAuth {
  constructor(
    private readonly repository: ClerkCacheRepository,
    private readonly central: CentralLogin,
    private readonly now: () => number = Date.now,
  ) {}

  private lockedUntil(login: string): number | undefined {
    const row = this.repository.loginFailures(login);
    if (!row?.lockedUntil) return undefined;
    const until = Date.parse(row.lockedUntil);
    return until > this.now() ? until : undefined;
  }

  private recordFailure(login: string): void {
    const failures = (this.repository.loginFailures(login)?.failures ?? 0) + 1;
    const lock =
      failures >= LOCAL_LOGIN_POLICY.maxFailures ? new Date(this.now() + LOCAL_LOGIN_POLICY.lockoutMinutes * 60_000).toISOString() : null;
    this.repository.recordLoginFailure(login, lock);
  }

  async login(login: string, password: string): Promise<LoginOutcome> {
    const reply = await this.central(login, password);
    if (reply) return this.online(login, password, reply);
    return this.offline(login, password);
  }

  private async online(login: string, password: string, reply: { status: number; body: unknown }): Promise<LoginOutcome> {
    if (reply.status !== 200) return this.refused(login, reply);
    const parsed = ClerkSignInResponseSchema.safeParse(reply.body);
    if (!parsed.success) return { ok: false, code: 'refused', message: 'the central system sent an answer this station does not understand' };
    const { staff, clerkKey, token } = parsed.data;
    if (!staff.roles.includes('clerk')) return { ok: false, code: 'not_a_clerk', message: 'this account does not serve at a counter' };
    const key = { id: clerkKey.id, secret: Buffer.from(clerkKey.secret, 'base64url') };
    this.repository.cacheClerk(
      login,
      { staff: JSON.stringify(staff), verifier: await makeVerifier(password), wrappedClerkKey: await wrapClerkKey(password, key) },
      new Date(this.now()).toISOString(),
    );
    this.repository.clearLoginFailures(login);
    return { ok: true, staff, offline: false, clerkKey: key, token };
  }

  private refused(login: string, reply: { status: number; body: unknown }): LoginOutcome {
    const error = ErrorReply.safeParse(reply.body);
    const code = error.success ? error.data.error.code : '';
    if (reply.status === 429) return { ok: false, code: 'too_many_attempts', message: error.success ? error.data.error.message : 'too many attempts; try again later' };
    if (code === 'counter_not_bound') return { ok: false, code: 'counter_not_bound', message: error.success ? error.data.error.message : code };
    // The server refused the clerk: a cached verifier and key for this login may be stale
    // (password changed, account disabled), so they must not let anyone in offline later.
    this.repository.forgetCachedClerk(login);
    if (code === 'not_a_clerk') return { ok: false, code: 'not_a_clerk', message: 'this account does not serve at a counter of this hall' };
    if (reply.status === 401) {
      this.recordFailure(login);
      return { ok: false, code: 'invalid_credentials', message: 'login or password is incorrect' };
    }
    return { ok: false, code: 'refused', message: error.success ? error.data.error.message : `the central system refused (${reply.status})` };
  }

  private async offline(login: string, password: string): Promise<LoginOutcome> {
    if (this.lockedUntil(login) !== undefined) {
      return { ok: false, code: 'locked', message: 'too many failed attempts; try again later' };
    }
    const cached = this.repository.cachedClerk(login);
    if (!cached?.wrappedClerkKey) {
      return { ok: false, code: 'offline_unknown', message: 'the central system is unreachable and this clerk has not signed in here online before' };
    }
    const clerkKey = (await checkVerifier(password, cached.verifier)) ? await unwrapClerkKey(password, cached.wrappedClerkKey) : undefined;
    if (!clerkKey) {
      this.recordFailure(login);
      return { ok: false, code: 'invalid_credentials', message: 'login or password is incorrect' };
    }
    this.repository.clearLoginFailures(login);
    return { ok: true, staff: StaffSchema.parse(JSON.parse(cached.staff)), offline: true, clerkKey };
  }
}

export type DepartmentNames = Record<string, { zh: string; en?: string }>;

/** The hall's departments from the central API's public read; undefined when unreachable. */
export function httpDepartments(apiUrl: string, hallId: string, timeoutMs = 4000): () => Promise<DepartmentNames | undefined> {
  const api = new CentralApi({ base: centralApiBase(apiUrl), timeoutMs });
  return async () => {
    const answer = await api.call(CENTRAL_ROUTES.departments, { params: { hallId } });
    if (!answer.ok) return undefined;
    return Object.fromEntries(answer.value.departments.map((d) => [d.id, d.name.en ? { zh: d.name.zh, en: d.name.en } : { zh: d.name.zh }]));
  };
}

export type DepositCodeRequest = {
  caseNumber: string;
  size: 'small' | 'medium' | 'large';
  idNumber: string;
  name: string;
  phone: string;
};
export type DepositCodeIssuer = (
  token: string,
  item: DepositCodeRequest,
) => Promise<{ ok: true; code: string; expiresAt: string } | { ok: false; unreachable: boolean; message: string }>;

/** 存件码 from the central API's locker service, with the clerk's session token (not the device's credential). */
export function httpDepositCodes(apiUrl: string, hallId: string, timeoutMs = 6000): DepositCodeIssuer {
  const api = new CentralApi({ base: centralApiBase(apiUrl), timeoutMs });
  return async (token, item) => {
    const answer = await api.call(CENTRAL_ROUTES.depositCodes, { body: { hallId, items: [item] }, headers: { authorization: `Bearer ${token}` } });
    if (answer.ok) {
      const [first] = answer.value.codes;
      return first ? { ok: true, code: first.code, expiresAt: first.expiresAt } : { ok: false, unreachable: false, message: 'no code issued' };
    }
    const { failure } = answer;
    if (failure.code === 'network') return { ok: false, unreachable: true, message: 'the central system is unreachable' };
    // The clerk sees the server's own words when it sent some. Only server trouble counts as
    // unreachable here: a 429 is the server's answer to this clerk, not an outage.
    const serverSaid = failure.code !== 'http_error' && failure.code !== 'malformed_response';
    return { ok: false, unreachable: failure.status >= 500, message: serverSaid || failure.status === 0 ? failure.message : `status ${failure.status}` };
  };
}
