import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { hashToken, newToken } from '../auth/tokens';
import { listAudit } from '../store/audit';
import { BACKENDS } from '../testing/databases';
import { FIXTURE_PASSWORD } from '../testing/fixture';
import { bearer, startTestServer, type TestServer } from '../testing/server';
import { DEFAULT_LOGIN_POLICY } from '../auth/loginGuard';

/** The per-address lockout of one account (what a clerk at one counter sees). */
const LOGIN_POLICY = { maxFailures: DEFAULT_LOGIN_POLICY.perAccountAddressFailures, lockoutMinutes: DEFAULT_LOGIN_POLICY.windowMinutes, sessionHours: DEFAULT_LOGIN_POLICY.sessionHours };

const pgUrl = inject('postgresUrl');

describe.each(BACKENDS)('authentication on %s', (dialect) => {
  let server: TestServer;
  let now = new Date('2026-03-02T01:00:00.000Z');
  const advanceMinutes = (minutes: number) => {
    now = new Date(now.getTime() + minutes * 60_000);
  };
  const login = (loginName: string, password: string) =>
    server.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: loginName, password } });
  const me = (token: string) => server.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(token) });

  beforeAll(async () => {
    server = await startTestServer(dialect, pgUrl, { clock: () => now });
  });
  afterAll(async () => server.dispose());

  it('logs in, identifies the caller and never returns a hash', async () => {
    const response = await login('t1-manager', FIXTURE_PASSWORD);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.token).toMatch(/^hs_[A-Za-z0-9_-]{43}$/);
    expect(body.staff).toMatchObject({ id: 't1-mgr', roles: ['hall_manager'], hallId: 't1-hall' });
    expect(response.body).not.toMatch(/scrypt|password|failed/i);
    const who = await me(body.token);
    expect(who.statusCode).toBe(200);
    expect(who.json().principal).toEqual({ kind: 'staff', id: 't1-mgr', login: 't1-manager', hallId: 't1-hall', roles: ['hall_manager'] });
    // Only the token's hash is stored.
    const stored = await server.db.database.db.selectFrom('staff_sessions').select('token_hash').execute();
    expect(stored.map((s) => s.token_hash)).toContain(hashToken(body.token));
    expect(JSON.stringify(stored)).not.toContain(body.token);
  });

  it('gives the same answer for an unknown login and a wrong password', async () => {
    const unknown = await login('nobody-here', FIXTURE_PASSWORD);
    const wrong = await login('t2-clerk', 'not-the-password');
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json()).toEqual(wrong.json());
    expect(wrong.json().error.code).toBe('invalid_credentials');
  });

  it('shuts an account for the address after five failures for fifteen minutes, without saying so', async () => {
    for (let i = 0; i < LOGIN_POLICY.maxFailures; i++) expect((await login('t1-clerk', `wrong-${i}`)).statusCode).toBe(401);
    const locked = await login('t1-clerk', FIXTURE_PASSWORD);
    expect(locked.statusCode).toBe(401);
    expect(locked.json()).toEqual((await login('nobody-here', 'x')).json());
    advanceMinutes(LOGIN_POLICY.lockoutMinutes - 1);
    expect((await login('t1-clerk', FIXTURE_PASSWORD)).statusCode).toBe(401);
    advanceMinutes(2);
    expect((await login('t1-clerk', FIXTURE_PASSWORD)).statusCode).toBe(200);
    const audit = await listAudit(server.db.database.db, { entity: 'staff', entityId: 't1-clerk' });
    expect(audit.map((a) => a.action)).toContain('lockout');
  });

  it('forgets earlier failures after a successful login', async () => {
    for (let i = 0; i < LOGIN_POLICY.maxFailures - 1; i++) await login('t2-manager', 'wrong');
    expect((await login('t2-manager', FIXTURE_PASSWORD)).statusCode).toBe(200);
    for (let i = 0; i < LOGIN_POLICY.maxFailures - 1; i++) await login('t2-manager', 'wrong');
    expect((await login('t2-manager', FIXTURE_PASSWORD)).statusCode).toBe(200);
  });

  it('ends a session on logout and on expiry', async () => {
    const token = await server.login('t2-clerk');
    const logout = await server.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: bearer(token) });
    expect(logout.statusCode).toBe(204);
    expect((await me(token)).statusCode).toBe(401);

    const second = await server.login('t2-clerk');
    expect((await me(second)).statusCode).toBe(200);
    advanceMinutes(LOGIN_POLICY.sessionHours * 60 + 1);
    const expired = await me(second);
    expect(expired.statusCode).toBe(401);
    expect(expired.json().error.message).toMatch(/invalid or expired/);
  });

  it('refuses missing, malformed and forged tokens', async () => {
    expect((await server.app.inject({ method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(401);
    for (const header of ['Bearer', 'Basic dXNlcjpwYXNz', 'Bearer hs_forged', `Bearer ${newToken('staffSession')}`, `Bearer ${newToken('device')}`]) {
      const response = await server.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: header } });
      expect(response.statusCode, header).toBe(401);
      expect(response.json().error.code).toBe('unauthorized');
    }
  });

  it('accepts an enrolled device credential and refuses it once revoked', async () => {
    const credential = newToken('device');
    const { db } = server.db.database;
    await db
      .insertInto('devices')
      .values({
        id: 'kiosk-1',
        hall_id: 't1-hall',
        role: 'kiosk',
        name: '1号自助机',
        credential_hash: hashToken(credential),
        enrollment_code_hash: null,
        enrolled_at: now.toISOString(),
        revoked_at: null,
        last_seen_at: null,
        created_at: now.toISOString(),
      })
      .execute();
    const who = await me(credential);
    expect(who.statusCode).toBe(200);
    expect(who.json()).toEqual({ principal: { kind: 'device', id: 'kiosk-1', hallId: 't1-hall', role: 'kiosk' } });
    await db.updateTable('devices').set({ revoked_at: now.toISOString() }).where('id', '=', 'kiosk-1').execute();
    expect((await me(credential)).statusCode).toBe(401);
  });

  it('refuses a deactivated staff member at login and drops their sessions', async () => {
    const token = await server.login('t1-manager');
    const admin = await server.login('city-admin');
    const patch = await server.app.inject({
      method: 'PATCH',
      url: '/api/v1/staff/t1-mgr',
      headers: bearer(admin),
      payload: { active: false },
    });
    expect(patch.statusCode).toBe(200);
    expect(patch.json().staff.active).toBe(false);
    expect((await me(token)).statusCode).toBe(401);
    expect((await login('t1-manager', FIXTURE_PASSWORD)).statusCode).toBe(401);
  });
});
