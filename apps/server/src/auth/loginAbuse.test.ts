import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildServer } from '../app';
import { listAudit } from '../store/audit';
import { BACKENDS } from '../testing/databases';
import { FIXTURE_PASSWORD } from '../testing/fixture';
import { bearer, startTestServer, type TestServer } from '../testing/server';
import { DEFAULT_LOGIN_POLICY } from './loginGuard';
import { PASSWORD_HASHING, takePeakPasswordHashing } from './password';

describe.each(BACKENDS)('login abuse on %s', (dialect) => {
  let server: TestServer;
  let now = new Date('2026-03-02T01:00:00.000Z');

  beforeAll(async () => {
    server = await startTestServer(dialect, inject('postgresUrl'), { clock: () => now });
  });
  afterAll(async () => server.dispose());

  const login = (login: string, password: string, remoteAddress: string, app = server.app) =>
    app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login, password }, remoteAddress });
  const me = (token: string) => server.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(token) });
  const statuses = (responses: { statusCode: number }[]) => responses.map((r) => r.statusCode);
  const count = (list: number[], status: number) => list.filter((s) => s === status).length;

  it('counts each attempt before its password is checked: parallel guesses cannot pass the per-address limit', async () => {
    const attempts = DEFAULT_LOGIN_POLICY.perAddressAttempts + 15;
    const answers = await Promise.all(Array.from({ length: attempts }, (_, i) => login(`nobody-${i}`, `guess-${i}`, '10.0.0.9')));
    const got = statuses(answers);
    expect(count(got, 401)).toBe(DEFAULT_LOGIN_POLICY.perAddressAttempts);
    expect(count(got, 429)).toBe(15);
    const refused = answers.find((r) => r.statusCode === 429)!;
    expect(refused.json().error.code).toBe('too_many_attempts');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // Another address is not affected.
    expect((await login('nobody', 'guess', '10.0.0.10')).statusCode).toBe(401);
  });

  it('never checks more guesses at one account from one address than the limit, even all at once', async () => {
    const guesses = 30;
    // The right password comes last: a limit checked after hashing would let it through.
    const passwords = [...Array.from({ length: guesses - 1 }, (_, i) => `wrong-${i}`), FIXTURE_PASSWORD];
    const answers = await Promise.all(passwords.map((p) => login('t1-clerk', p, '10.0.1.1')));
    expect(statuses(answers).every((s) => s === 401 || s === 429)).toBe(true);
    expect(count(statuses(answers), 200)).toBe(0);
    // One lockout, for that address only.
    const lockouts = (await listAudit(server.app.hall.db, { entity: 'staff', entityId: 't1-clerk' })).filter((a) => a.action === 'lockout');
    expect(lockouts).toHaveLength(1);
    expect(lockouts[0]!.detail).toMatchObject({ scope: 'address', address: '10.0.1.1' });
  });

  it('an attacker cannot lock a clerk out: the clerk signs in from their own counter at once', async () => {
    for (let i = 0; i < DEFAULT_LOGIN_POLICY.perAccountAddressFailures + 3; i++) await login('t1-manager', `wrong-${i}`, '10.0.2.1');
    expect((await login('t1-manager', FIXTURE_PASSWORD, '10.0.2.1')).statusCode).toBe(401);
    expect((await login('t1-manager', FIXTURE_PASSWORD, '10.0.2.2')).statusCode).toBe(200);
    // And the attacker's address is shut for that account only for the short window.
    now = new Date(now.getTime() + (DEFAULT_LOGIN_POLICY.windowMinutes + 1) * 60_000);
    expect((await login('t1-manager', FIXTURE_PASSWORD, '10.0.2.1')).statusCode).toBe(200);
  });

  it('a hall of clerks behind one address signing in at opening time is never limited', async () => {
    for (let i = 0; i < DEFAULT_LOGIN_POLICY.perAddressAttempts + 10; i++) {
      expect((await login(i % 2 ? 't2-clerk' : 't2-manager', FIXTURE_PASSWORD, '10.0.3.1')).statusCode).toBe(200);
    }
  });

  it('caps password hashing in flight and the attempts of the whole server per minute', async () => {
    takePeakPasswordHashing();
    const many = await Promise.all(Array.from({ length: 40 }, (_, i) => login('t2-clerk', `wrong-${i}`, `10.1.${i}.1`)));
    expect(statuses(many).every((s) => s === 401)).toBe(true);
    const peak = takePeakPasswordHashing();
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThanOrEqual(PASSWORD_HASHING.concurrent);

    const small = await buildServer({ database: server.db.database, dataKeys: server.app.hall.dataKeys, clock: () => now, loginPolicy: { globalAttemptsPerMinute: 10 } });
    try {
      const answers = statuses(await Promise.all(Array.from({ length: 16 }, (_, i) => login('nobody', 'x', `10.2.${i}.1`, small))));
      expect(count(answers, 401)).toBe(10);
      expect(count(answers, 429)).toBe(6);
    } finally {
      await small.close();
    }
  });

  it('a password reset ends every session of the account; a self-service change keeps only the current one', async () => {
    const first = await server.login('t2-clerk');
    const second = await server.login('t2-clerk');
    const manager = await server.login('t2-manager');
    const reset = await server.app.inject({ method: 'PATCH', url: '/api/v1/staff/t2-clerk', headers: bearer(manager), payload: { password: 'a-brand-new-pass' } });
    expect(reset.statusCode).toBe(200);
    expect((await me(first)).statusCode).toBe(401);
    expect((await me(second)).statusCode).toBe(401);
    expect((await me(manager)).statusCode).toBe(200);
    expect((await login('t2-clerk', FIXTURE_PASSWORD, '10.0.4.1')).statusCode).toBe(401);
    expect((await login('t2-clerk', 'a-brand-new-pass', '10.0.4.2')).statusCode).toBe(200);

    const otherManagerSession = await server.login('t2-manager');
    const self = await server.app.inject({ method: 'PATCH', url: '/api/v1/staff/t2-mgr', headers: bearer(manager), payload: { password: 'manager-new-pass' } });
    expect(self.statusCode).toBe(200);
    expect((await me(manager)).statusCode).toBe(200);
    expect((await me(otherManagerSession)).statusCode).toBe(401);
  });
});
