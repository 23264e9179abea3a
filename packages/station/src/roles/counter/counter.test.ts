import { createHmac } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { PDFDocument } from 'pdf-lib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  CLERK_PROOF_FIELD,
  CLERK_SESSION_HOURS,
  ClerkProofSchema,
  clerkMutationMessage,
  clerkSessionKeyLabel,
  clerkSessionStatement,
  LocalRejection,
  makeTestIdNumber,
  normaliseIdNumber,
  type EventData,
  type Mutation,
  type StaffSchema,
  type StationEvent,
} from '@hall/shared';
import type { z } from 'zod';
import { StationCore } from '../../core';
import { rejectionOf } from '../../sync/engine';
import { testCatalogue } from '../../testing/hall';
import { openClerkSession } from '../../clerk/session';
import { ClerkAuth, LOCAL_LOGIN_POLICY, unwrapClerkKey, wrapClerkKey, type CentralLogin, type DepositCodeRequest } from './clerkAuth';
import { openCounterDb } from './counterDb';
import { saneEnvironment } from './definition';
import { CounterRepository } from './repository';
import { StationCodeVerifier } from '../../residence-code/verifier';
import { TestCodeIssuer } from '../../residence-code/testing';
import Database from 'better-sqlite3';
import { delegatedDepositCodes } from './depositDelegation';
import { counterRoleHandlers } from './handlers';
import { CounterRole, saneScanner } from './role';

const KEY = 'unit-test-city-key';
const staff: z.input<typeof StaffSchema> = { id: 'staff-1', hallId: 'hall-1', login: 'clerk1', displayName: '窗口一号办事员', staffNumber: 'SW010', roles: ['clerk'] };

/** The central API's login as the station sees it: 200 with a token for the right password, 401 otherwise, or unreachable. */
function central(password: string, reachable: { value: boolean }): CentralLogin {
  return async (login, given) => {
    if (!reachable.value) return undefined;
    if (login === staff.login && given === password) {
      return { status: 200, body: { token: 't'.repeat(40), expiresAt: new Date().toISOString(), staff, clerkKey: { id: 'ck-test', secret: 'k'.repeat(43) } } };
    }
    return { status: 401, body: { error: { code: 'invalid_credentials', message: 'login or password is incorrect' } } };
  };
}

function png(width: number, height: number): Uint8Array {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(8 + data.length + 4);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body) >>> 0, 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;
  header[9] = 0; // greyscale
  const raw = Buffer.alloc((width + 1) * height, 0x80);
  for (let y = 0; y < height; y++) raw[y * (width + 1)] = 0;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The same station and files with other devices: a second role object over them. */
function roleOptions(role: CounterRole): ConstructorParameters<typeof CounterRole>[0] {
  return (role as unknown as { options: ConstructorParameters<typeof CounterRole>[0] }).options;
}

/** The rejection code a synchronous call throws. */
function thrownCode(work: () => unknown): string | undefined {
  try {
    work();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

const opened: { core: StationCore; role: CounterRole }[] = [];
afterEach(() => {
  for (const { core, role } of opened.splice(0)) {
    role.close();
    core.close();
  }
  vi.useRealTimers();
});

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'counter-role-'));
  const core = StationCore.open(join(dir, 'station.db'), { deviceId: 'counter-1', hallId: 'hall-1', role: 'counter', counterId: 'c1' });
  core.store.replaceCatalogue(testCatalogue());
  core.store.addNumberBlock({ queueId: 'qA', day: core.today(), start: 1, end: 50 });
  const reachable = { value: true };
  const events: { event: StationEvent; data: unknown }[] = [];
  const depositRequests: { token: string; item: DepositCodeRequest }[] = [];
  const role = new CounterRole({
    depositCodes: async (token, item) => {
      depositRequests.push({ token, item });
      return reachable.value ? { ok: true, code: 'LK1.signed-code-for-test', expiresAt: '2030-01-01T00:00:00.000Z' } : { ok: false, unreachable: true, message: 'down' };
    },
    core,
    db: openCounterDb(join(dir, 'counter.db')),
    central: central('right-password', reachable),
    emit: <E extends StationEvent>(event: E, data: EventData<E>) => events.push({ event, data }),
    idHashKey: KEY,
  });
  opened.push({ core, role });
  const idNumber = makeTestIdNumber({ sequence: 7 });
  const citizen = { maskedName: '陈*明', idHash: createHmac('sha256', KEY).update(normaliseIdNumber(idNumber)).digest('hex') };
  const ticket = core.issueTicket({ serviceIds: ['s1'], kind: 'walk_in', citizen });
  const kase = core.submitForm({ serviceId: 's1', ticketId: ticket.id, answers: {}, values: {}, citizen });
  return { core, role, reachable, events, ticket, kase, idNumber, depositRequests };
}

describe('clerk sign-in', () => {
  it('signs in online, then offline with the cached verifier only for the right password', async () => {
    const { role, reachable } = setup();
    const online = await role.login('clerk1', 'right-password');
    expect(online).toMatchObject({ staffId: 'staff-1', counterId: 'c1', offline: false });
    // Signing in opens the window, signing out closes it.
    const status = () => roleOptions(role).core.store.live.queue.counters.c1?.state.status;
    expect(status()).toBe('open');
    role.logout();
    expect(status()).toBe('closed');
    reachable.value = false;
    await expect(role.login('clerk1', 'wrong')).rejects.toMatchObject({ code: 'invalid_credentials' });
    expect(await role.login('clerk1', 'right-password')).toMatchObject({ offline: true });
    role.logout();
    await expect(role.login('stranger', 'x')).rejects.toMatchObject({ code: 'offline_unknown' });
  });

  it('refuses a clerk at a counter the console did not assign them, online and offline, naming the counter', async () => {
    const { core, role, reachable } = setup();
    // Assigned to counter 2 only (the console's staff page, carried in the catalogue).
    core.store.replaceCatalogue({ ...testCatalogue(), clerkCounters: { 'staff-1': ['c2'] }, version: 'assigned' });
    await expect(role.login('clerk1', 'right-password')).rejects.toMatchObject({ code: 'counter_not_assigned', message: expect.stringMatching(/counter 1 .*assigned: 2/) });
    expect(role.currentSession()).toBeNull();
    expect(core.store.live.queue.counters.c1?.state.status ?? 'closed').toBe('closed');
    expect(await role.login('clerk1', 'right-password', 'c2')).toMatchObject({ counterId: 'c2', offline: false });
    role.logout();
    reachable.value = false;
    await expect(role.login('clerk1', 'right-password', 'c1')).rejects.toMatchObject({ code: 'counter_not_assigned', message: expect.stringContaining('counter 1') });
    expect(await role.login('clerk1', 'right-password', 'c2')).toMatchObject({ counterId: 'c2', offline: true });
    role.logout();
    // No assignment (or an empty one) is the hall default: any counter.
    core.store.replaceCatalogue({ ...testCatalogue(), clerkCounters: { 'staff-1': [] }, version: 'unassigned' });
    expect(await role.login('clerk1', 'right-password', 'c3')).toMatchObject({ counterId: 'c3', offline: true });
  });

  it('locks a login out offline after repeated failures, even for the right password', async () => {
    const { role, reachable } = setup();
    await role.login('clerk1', 'right-password');
    role.logout();
    reachable.value = false;
    for (let i = 0; i < LOCAL_LOGIN_POLICY.maxFailures; i++) await expect(role.login('clerk1', `bad-${i}`)).rejects.toMatchObject({ code: 'invalid_credentials' });
    await expect(role.login('clerk1', 'right-password')).rejects.toMatchObject({ code: 'locked' });
  });

  it('forgets the cached verifier when the server refuses the password (changed or disabled account)', async () => {
    const repository = new CounterRepository(openCounterDb(':memory:'));
    const reachable = { value: true };
    const auth = new ClerkAuth(repository, central('old-password', reachable));
    expect(await auth.login('clerk1', 'old-password')).toMatchObject({ ok: true, offline: false });
    const changed = new ClerkAuth(repository, central('new-password', reachable));
    expect(await changed.login('clerk1', 'old-password')).toMatchObject({ ok: false, code: 'invalid_credentials' });
    reachable.value = false;
    expect(await changed.login('clerk1', 'old-password')).toMatchObject({ ok: false, code: 'offline_unknown' });
  });

  it('proves each counter mutation with the session of the clerk key, opened online and again offline', async () => {
    const { role, core, reachable } = setup();
    const key = Buffer.from('k'.repeat(43), 'base64url');
    const hmac = (k: Buffer, message: string) => createHmac('sha256', k).update(message).digest('base64url');
    const lastProof = () => {
      const row = core.store.outbox().at(-1)!;
      const payload = row.payload as Record<string, unknown>;
      const proof = ClerkProofSchema.parse(payload[CLERK_PROOF_FIELD]);
      // What the central API checks: the session statement under the clerk key, the mutation under the session key.
      expect(proof.sessionMac).toBe(hmac(key, clerkSessionStatement({ ...proof, deviceId: 'counter-1' })));
      const sessionKey = createHmac('sha256', key).update(clerkSessionKeyLabel(proof.session)).digest();
      expect(proof.mac).toBe(hmac(sessionKey, clerkMutationMessage({ id: row.id, deviceId: 'counter-1', type: row.type as Mutation['type'], hlc: row.hlc, payload })));
      expect(payload.staffId).toBe(proof.staffId);
      return proof;
    };
    await role.login('clerk1', 'right-password');
    const online = lastProof();
    expect(online).toMatchObject({ keyId: 'ck-test', staffId: 'staff-1', counterId: 'c1' });
    role.logout();
    reachable.value = false;
    await role.login('clerk1', 'right-password');
    const offline = lastProof();
    expect(offline.keyId).toBe('ck-test');
    expect(offline.session).not.toBe(online.session);
    // A kiosk's mutation carries no clerk proof.
    core.issueTicket({ serviceIds: ['s1'], kind: 'walk_in' });
    expect((core.store.outbox().at(-1)!.payload as Record<string, unknown>)[CLERK_PROOF_FIELD]).toBeUndefined();
  });

  it('keeps the clerk key only wrapped under the password', async () => {
    const key = { id: 'ck-1', secret: Buffer.alloc(32, 7) };
    const wrapped = await wrapClerkKey('right-password', key);
    expect(wrapped).not.toContain(key.secret.toString('base64url'));
    expect(await unwrapClerkKey('right-password', wrapped)).toEqual(key);
    expect(await unwrapClerkKey('wrong-password', wrapped)).toBeUndefined();
    const parts = wrapped.split('$');
    parts[1] = 'ck-2';
    expect(await unwrapClerkKey('right-password', parts.join('$'))).toBeUndefined();
  });

  it('a counter station refuses counter mutations with no clerk, or after the session hours', () => {
    const dir = mkdtempSync(join(tmpdir(), 'counter-guard-'));
    let now = Date.parse('2026-12-04T01:00:00.000Z');
    const core = StationCore.open(join(dir, 'station.db'), { deviceId: 'counter-9', hallId: 'hall-1', role: 'counter', counterId: 'c1' }, () => now);
    core.store.replaceCatalogue(testCatalogue());
    core.guardOrigin();
    expect(thrownCode(() => core.counterCommand('openCounter'))).toBe('not_signed_in');
    openClerkSession(core, { id: 'ck-1', secret: Buffer.alloc(32, 1) }, { staffId: 'staff-1', counterId: 'c1' });
    core.counterCommand('openCounter');
    now += CLERK_SESSION_HOURS * 3_600_000 + 1;
    expect(thrownCode(() => core.counterCommand('pauseCounter', '休息'))).toBe('session_expired');
    expect(core.store.outbox()).toHaveLength(1);
    core.store.close();
  });

  it('refuses counter actions before sign-in', async () => {
    const { role, core, ticket } = setup();
    const handlers = counterRoleHandlers(role, core, {});
    await expect(handlers['counter.callNext']?.({})).rejects.toMatchObject({ error: { reason: 'not_signed_in' } });
    await expect(handlers['case.listForTicket']?.({ ticketId: ticket.id })).rejects.toMatchObject({ error: { reason: 'not_signed_in' } });
  });
});

describe('serving a case', () => {
  it('accepts only with every required material received; refusing lists what is missing', async () => {
    const { role, kase } = setup();
    await role.login('clerk1', 'right-password');
    await expect(role.accept(kase.id)).rejects.toMatchObject({ code: 'materials_missing' });
    const refused = await role.refuse(kase.id);
    expect(refused.case.status).toBe('refused');
    expect(refused.notice).toMatchObject({ kind: 'one_time_notice', printed: false, printerError: expect.stringMatching(/no printer/) });
    expect(refused.notice.preview).toContain('居民身份证');
    expect(thrownCode(() => role.checkMaterial(kase.id, 'm1', true))).toBe('case_decided');
  });

  it('accepts a complete case, prints the receipt, and gets the locker deposit code from the central system', async () => {
    const { role, kase, depositRequests } = setup();
    await role.login('clerk1', 'right-password');
    expect(thrownCode(() => role.checkMaterial(kase.id, 'nope', true))).toBe('unknown_material');
    expect(role.checkMaterial(kase.id, 'm1', true).checklist).toEqual([expect.objectContaining({ materialId: 'm1', received: true, required: true })]);
    await expect(role.refuse(kase.id)).rejects.toMatchObject({ code: 'nothing_missing' });
    const accepted = await role.accept(kase.id);
    expect(accepted.case).toMatchObject({ status: 'accepted', caseNumber: expect.stringMatching(/^\d{8}-01-0001-/) });
    expect(accepted.receipt.preview).toContain('受理回执');
    await expect(role.setDelivery(kase.id, 'locker', { phone: '13800138000' })).rejects.toMatchObject({ code: 'identity_needed' });
    // Identity is checked before the decision; a new visit's check (fresh role memory) is what counts.
    const second = setup();
    await second.role.login('clerk1', 'right-password');
    await second.role.checkIdentity(second.kase.id, 'manual', { idNumber: second.idNumber, name: '陈小明' });
    second.role.checkMaterial(second.kase.id, 'm1', true);
    const secondAccepted = await second.role.accept(second.kase.id);
    await expect(second.role.setDelivery(second.kase.id, 'locker')).rejects.toMatchObject({ code: 'phone_needed' });
    const delivered = await second.role.setDelivery(second.kase.id, 'locker', { phone: '13800138000', size: 'small' });
    expect(delivered.case).toMatchObject({ delivery: 'locker', depositCode: 'LK1.signed-code-for-test' });
    expect(delivered.slip?.kind).toBe('deposit_code');
    expect(second.depositRequests).toEqual([
      { token: 't'.repeat(40), item: { caseNumber: secondAccepted.case.caseNumber, size: 'small', idNumber: second.idNumber, name: '陈小明', phone: '13800138000' } },
    ]);
    expect(depositRequests).toEqual([]);
    // The raw number went to the central API only: neither the stored case work nor the view holds it.
    expect(JSON.stringify(delivered)).not.toContain(second.idNumber);
    expect((await second.role.setDelivery(second.kase.id, 'post')).case.depositCode).toBeUndefined();
  });

  it('prints the wording the console set for the service, and the department’s confirmation slip where there is one', async () => {
    const { core, role, kase } = setup();
    core.store.replaceCatalogue({
      ...testCatalogue(),
      version: 'with-slip-templates',
      slipTemplates: [
        { kind: 'acceptance_receipt', serviceId: 's1', body: '# 专用回执\n办件编号：{{办件编号}}\n容缺待补：{{容缺材料}}' },
        { kind: 'acceptance_receipt', serviceId: null, body: '# 大厅回执' },
        { kind: 'confirmation_slip', serviceId: null, body: '# 受理确认单\n! 收取材料：\n{{收取材料}}' },
      ],
    });
    await role.login('clerk1', 'right-password');
    role.checkMaterial(kase.id, 'm1', true);
    const accepted = await role.accept(kase.id);
    expect(accepted.receipt.preview).toContain('专用回执');
    expect(accepted.receipt.preview).toContain(accepted.case.caseNumber ?? 'no number');
    expect(accepted.receipt.preview).not.toContain('容缺待补');
    const db = roleOptions(role).db;
    const prints = db.prepare<[string], { kind: string; preview: string }>('SELECT kind, preview FROM prints WHERE case_id = ? ORDER BY at, rowid').all(kase.id);
    expect(prints.map((p) => p.kind)).toEqual(['acceptance_receipt', 'confirmation_slip']);
    expect(prints[1]?.preview).toMatch(/收取材料：.*1\. /);
  });

  it('refuses a locker code without the central system (offline sign-in has no token)', async () => {
    const { role, kase, idNumber, reachable } = setup();
    await role.login('clerk1', 'right-password');
    role.logout();
    reachable.value = false;
    await role.login('clerk1', 'right-password');
    await role.checkIdentity(kase.id, 'manual', { idNumber, name: '陈小明' });
    role.checkMaterial(kase.id, 'm1', true);
    await role.accept(kase.id);
    await expect(role.setDelivery(kase.id, 'locker', { phone: '13800138000' })).rejects.toMatchObject({ code: 'locker_offline' });
    expect((await role.setDelivery(kase.id, 'counter')).case.delivery).toBe('counter');
  });

  it('with the central system away, prints a deposit code signed with the counter\'s delegated key that a locker verifies', async () => {
    const { role, kase, idNumber, reachable, depositRequests } = setup();
    const city = new TestCodeIssuer();
    const delegation = city.delegation({ hallId: 'hall-1', deviceId: 'counter-1' });
    const withKey = new CounterRole({ ...roleOptions(role), offlineDepositCodes: delegatedDepositCodes({ hallId: 'hall-1', citizenKey: KEY, delegation: () => delegation }) });
    opened.push({ core: roleOptions(role).core, role: withKey });
    await withKey.login('clerk1', 'right-password');
    reachable.value = false; // the API went away after the sign-in: the fetcher answers "unreachable"
    await withKey.checkIdentity(kase.id, 'manual', { idNumber, name: '陈小明' });
    withKey.checkMaterial(kase.id, 'm1', true);
    const accepted = await withKey.accept(kase.id);
    const delivered = await withKey.setDelivery(kase.id, 'locker', { phone: '13800138000', size: 'small' });
    expect(depositRequests).toHaveLength(1);
    const code = delivered.case.depositCode!;
    expect(code).toMatch(/^HDD1\./);
    expect(delivered.case).toMatchObject({ delivery: 'locker' });
    expect(delivered.slip).toMatchObject({ kind: 'deposit_code' });
    expect(delivered.slip?.preview).toContain('本窗口签发');
    // Nothing personal in clear: not the ID number, not the phone, not the full name.
    const text = Buffer.from(code.slice(5), 'base64url').toString('latin1');
    for (const secret of [idNumber, '13800138000']) expect(text).not.toContain(secret);
    expect(Buffer.from(code.slice(5), 'base64url').toString('utf8')).not.toContain('陈小明');
    // A locker of the hall (city keys only) verifies it and sees which counter signed it.
    const locker = new StationCodeVerifier(new Database(':memory:'));
    expect(locker.keys.update(city.keySet(), Date.now())).toEqual({ ok: true });
    const verified = locker.verify(code, 'deposit', 'hall-1');
    expect(verified.ok).toBe(true);
    if (!verified.ok) return;
    expect(verified.payload).toMatchObject({ caseNumber: accepted.case.caseNumber, size: 'small', maskedName: '陈*明', hallId: 'hall-1' });
    expect(verified.delegated).toMatchObject({ deviceId: 'counter-1', hallId: 'hall-1', delegatedKid: delegation.grant.delegatedKid });
  });

  it('signs offline (no token) with the delegated key, and refuses when that key has lapsed', async () => {
    const { role, kase, idNumber, reachable } = setup();
    const city = new TestCodeIssuer();
    let delegation = city.delegation({ hallId: 'hall-1', deviceId: 'counter-1', issuedAtMs: Date.now() - 3 * 24 * 3600_000 });
    const withKey = new CounterRole({ ...roleOptions(role), offlineDepositCodes: delegatedDepositCodes({ hallId: 'hall-1', citizenKey: KEY, delegation: () => delegation }) });
    opened.push({ core: roleOptions(role).core, role: withKey });
    await withKey.login('clerk1', 'right-password');
    withKey.logout();
    reachable.value = false;
    await withKey.login('clerk1', 'right-password');
    await withKey.checkIdentity(kase.id, 'manual', { idNumber, name: '陈小明' });
    withKey.checkMaterial(kase.id, 'm1', true);
    await withKey.accept(kase.id);
    await expect(withKey.setDelivery(kase.id, 'locker', { phone: '13800138000' })).rejects.toMatchObject({ code: 'locker_offline', message: expect.stringMatching(/valid .* only/) });
    delegation = city.delegation({ hallId: 'hall-1', deviceId: 'counter-1' });
    expect((await withKey.setDelivery(kase.id, 'locker', { phone: '13800138000' })).case.depositCode).toMatch(/^HDD1\./);
  });

  it('checks identity against the ticket by hash and keeps only masked forms', async () => {
    const { role, kase, idNumber } = setup();
    await role.login('clerk1', 'right-password');
    await expect(role.checkIdentity(kase.id, 'manual', { idNumber: '110101199001011234' })).rejects.toMatchObject({ code: 'invalid_id_number' });
    const other = makeTestIdNumber({ sequence: 9 });
    expect((await role.checkIdentity(kase.id, 'manual', { idNumber: other })).identity?.matchesTicket).toBe(false);
    const view = await role.checkIdentity(kase.id, 'manual', { idNumber, name: '陈小明' });
    expect(view.identity).toMatchObject({ matchesTicket: true, maskedName: '陈*明' });
    expect(JSON.stringify(view)).not.toContain(idNumber);
    await expect(role.checkIdentity(kase.id, 'id_card')).rejects.toMatchObject({ code: 'no_reader' });
  });

  it('stores captured pages per material, reorders them and combines them into one PDF', async () => {
    const { role, kase } = setup();
    await role.login('clerk1', 'right-password');
    expect(() => role.addPage(kase.id, 'm1', 'image/png', new Uint8Array([1, 2, 3, 4]), 'camera')).toThrow(/readable/);
    role.addPage(kase.id, 'm1', 'image/png', png(40, 30), 'camera');
    const view = role.addPage(kase.id, 'm1', 'image/png', png(60, 20), 'camera');
    const pages = view.checklist[0]?.pages ?? [];
    expect(pages.map((p) => [p.width, p.position])).toEqual([
      [40, 0],
      [60, 1],
    ]);
    const ids = pages.map((p) => p.id);
    expect(() => role.reorder(kase.id, 'm1', [ids[0] ?? ''])).toThrow(/exactly once/);
    const reordered = role.reorder(kase.id, 'm1', [...ids].reverse());
    expect(reordered.checklist[0]?.pages.map((p) => p.width)).toEqual([60, 40]);
    const pdf = await PDFDocument.load(Buffer.from((await role.materialPdf(kase.id, 'm1')).dataBase64, 'base64'));
    expect(pdf.getPages().map((p) => Math.round(p.getWidth()))).toEqual([60, 40]);
    expect(role.removePage(kase.id, ids[1] ?? '').checklist[0]?.pages.map((p) => [p.width, p.position])).toEqual([[40, 0]]);
  });

  it('scans pages on a SANE scanner (scanimage test backend) into the material, sized by their resolution', async () => {
    const { role, kase } = setup();
    await role.login('clerk1', 'right-password');
    await expect(role.scan(kase.id, 'm1', 1)).rejects.toMatchObject({ code: 'no_scanner' });
    const configDir = mkdtempSync(join(tmpdir(), 'counter-sane-'));
    writeFileSync(join(configDir, 'dll.conf'), 'test\n');
    const scanning = new CounterRole({ ...roleOptions(role), scanner: saneScanner('test:0', { ...saneEnvironment({ HALL_SANE_CONFIG_DIR: configDir }), timeoutMs: 10_000 }, 50) });
    await scanning.login('clerk1', 'right-password');
    const view = await scanning.scan(kase.id, 'm1', 2);
    expect(view.checklist[0]?.pages.map((p) => p.source)).toEqual(['scanner', 'scanner']);
    const pdf = await PDFDocument.load(Buffer.from((await scanning.materialPdf(kase.id, 'm1')).dataBase64, 'base64'));
    const first = view.checklist[0]?.pages[0];
    expect(pdf.getPage(0).getWidth()).toBeCloseTo(((first?.width ?? 0) / 50) * 72, 3);
    const broken = new CounterRole({ ...roleOptions(role), scanner: saneScanner('nosuch:0', { ...saneEnvironment({ HALL_SANE_CONFIG_DIR: configDir }), timeoutMs: 10_000 }) });
    await broken.login('clerk1', 'right-password');
    await expect(broken.scan(kase.id, 'm1', 1)).rejects.toMatchObject({ code: 'scan_no-device' });
  });

  it('ends the clerk session at the central API on sign-out, after the rating the session still owes', async () => {
    const { role, ticket } = setup();
    const ended: { keyId: string; session: string; endedAt: string }[] = [];
    const signing = new CounterRole({ ...roleOptions(role), signOut: (end) => ended.push(end) });
    const core = roleOptions(signing).core;
    await signing.login('clerk1', 'right-password');
    const session = core.clerkSession()!.facts.session;
    signing.logout();
    expect(ended).toEqual([{ keyId: 'ck-test', session, endedAt: expect.any(String) }]);

    // Signed out with the citizen still rating: the session ends when the rating is in, not before.
    await signing.login('clerk1', 'right-password');
    const second = core.clerkSession()!.facts.session;
    core.ticketCommand('callSpecific', ticket.id);
    signing.startServing(ticket.id);
    signing.finish(ticket.id);
    signing.logout();
    expect(ended).toHaveLength(1);
    signing.submitRating(ticket.id, 'very_satisfied');
    const rated = core.store.outbox().at(-1)!;
    expect(rated.type).toBe('recordEvaluation');
    expect(ended[1]).toEqual({ keyId: 'ck-test', session: second, endedAt: (rated.payload as { at: string }).at });
  });

  it('asks for a rating after finishing and records "satisfied" when nobody answers in time', async () => {
    vi.useFakeTimers();
    const { role, core, ticket, events } = setup();
    await role.login('clerk1', 'right-password');
    core.ticketCommand('callSpecific', ticket.id);
    role.startServing(ticket.id);
    role.finish(ticket.id);
    expect(role.ratingPending()).toMatchObject({ ticketId: ticket.id, timeoutSeconds: 15 });
    expect(() => role.submitRating('other', 'satisfied')).toThrow(/not waiting/);
    vi.advanceTimersByTime(15_000);
    expect(role.ratingPending()).toBeNull();
    expect(events.filter((e) => e.event === 'rating.recorded').map((e) => e.data)).toEqual([{ ticketId: ticket.id, rating: 'satisfied', defaulted: true }]);
    expect(role.history()).toEqual([expect.objectContaining({ rating: 'satisfied', ratingDefaulted: true })]);
  });
});

describe('counter outcomes for the central API', () => {
  const outbox = (core: StationCore, type: string) => core.store.outbox().filter((row) => row.type === type).map((row) => row.payload);

  it('promises a case accepted before 国庆 for after the holiday, counting the 调休 Saturday, as the central API does', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    // Wednesday 30 September 2026, 10:00 in Beijing.
    vi.setSystemTime(new Date('2026-09-30T02:00:00.000Z'));
    const { role, core, ticket, kase } = setup();
    const base = testCatalogue();
    core.store.replaceCatalogue({
      ...base,
      hall: { ...base.hall, openingHours: { weekdays: [1, 2, 3, 4, 5], sessions: [{ from: '09:00', to: '17:30' }] } },
      services: base.services.map((s) => ({ ...s, guide: { ...s.guide, promisedDays: 5 } })),
      calendar: { holidays: ['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07'], workdays: ['2026-09-20', '2026-10-10'] },
      version: 'with-calendar',
    });
    await role.login('clerk1', 'right-password');
    core.ticketCommand('callSpecific', ticket.id);
    role.startServing(ticket.id);
    role.checkMaterial(kase.id, 'm1', true);
    await role.accept(kase.id);
    // 10-08, 10-09, 10-10 (调休), 10-12, 10-13 at 17:30 Beijing: the date the server test expects too.
    expect(core.store.live.cases[kase.id]?.dueAt).toBe('2026-10-13T09:30:00.000Z');
  });

  it('queues the clerk on calls, the acceptance, the delivery and the defaulted rating, each once', async () => {
    vi.useFakeTimers();
    const { role, core, ticket, kase } = setup();
    await role.login('clerk1', 'right-password');
    core.ticketCommand('callSpecific', ticket.id);
    role.startServing(ticket.id);
    expect(outbox(core, 'startServing')).toEqual([expect.objectContaining({ ticketId: ticket.id, staffId: 'staff-1' })]);
    expect(core.store.live.queue.tickets[ticket.id]?.staffId).toBe('staff-1');
    role.updateForm(kase.id, { note: '补充说明' });
    role.checkMaterial(kase.id, 'm1', true);
    await role.accept(kase.id);
    expect(outbox(core, 'acceptCase')).toEqual([
      expect.objectContaining({ caseId: kase.id, staffId: 'staff-1', counterId: 'c1', values: { note: '补充说明' }, received: [{ materialId: 'm1', pageCount: 0 }] }),
    ]);
    // The decision is in the shared state (as the server will decide it); the form is no longer kept beside it.
    expect(core.store.live.cases[kase.id]).toMatchObject({ status: 'accepted', acceptedByStaffId: 'staff-1', dueAt: expect.any(String) });
    expect(role.caseView(kase.id).values).toEqual({});
    await role.setDelivery(kase.id, 'post');
    expect(outbox(core, 'chooseDelivery')).toEqual([expect.objectContaining({ caseId: kase.id, delivery: 'post', staffId: 'staff-1' })]);
    role.finish(ticket.id);
    vi.advanceTimersByTime(15_000);
    expect(outbox(core, 'recordEvaluation')).toEqual([
      expect.objectContaining({ ticketId: ticket.id, staffId: 'staff-1', counterId: 'c1', rating: 'satisfied', defaulted: true }),
    ]);
    expect(core.store.live.queue.tickets[ticket.id]?.evaluatedAt).toBeDefined();
    role.logout();
    expect(core.identity.staffId).toBeUndefined();
  });

  it('undoes a decision the central API rejects in counter.db: history and the case show the reason, the clerk may decide again', async () => {
    const { role, core, ticket, kase } = setup();
    /** The central API's answer for this counter's last mutation of a type, as the sync engine records it. */
    const reject = (type: string, code: string, reason: string) => {
      const row = core.store.outbox().filter((r) => r.type === type).at(-1)!;
      const [rejected] = core.store.recordResults([{ id: row.id, seq: row.seq, status: 'rejected', code, reason }]);
      return rejectionOf(rejected!);
    };
    await role.login('clerk1', 'right-password');
    core.ticketCommand('callSpecific', ticket.id);
    role.startServing(ticket.id);
    role.checkMaterial(kase.id, 'm1', true);
    await role.accept(kase.id);
    expect(role.history()[0]?.cases).toEqual([expect.objectContaining({ caseId: kase.id, status: 'accepted' })]);

    const rejection = reject('acceptCase', 'case_decided', `case ${kase.id} is already refused`);
    expect(role.centralRejected(rejection)).toBe(true);
    const entry = role.history()[0]?.cases[0];
    expect(entry?.status).not.toBe('accepted');
    expect(entry?.centralRejection).toMatchObject({ type: 'acceptCase', code: 'case_decided', reason: `case ${kase.id} is already refused` });
    expect(role.caseView(kase.id)).toMatchObject({ status: 'submitted', centralRejection: { code: 'case_decided' } });
    expect(role.caseView(kase.id).caseNumber).toBeUndefined();
    // Replayed after a restart: recorded once, nothing undone twice.
    expect(role.centralRejected(rejection)).toBe(false);
    // Queue commands are the core's business, not a decision to undo here.
    expect(role.centralRejected({ ...rejection, mutationId: 'other', type: 'callNext' })).toBe(false);

    // Decided again: the rejection is history, the new decision stands.
    await role.accept(kase.id);
    expect(role.caseView(kase.id)).toMatchObject({ status: 'accepted' });
    expect(role.caseView(kase.id).centralRejection).toBeUndefined();
    await role.setDelivery(kase.id, 'post');
    expect(role.centralRejected(reject('chooseDelivery', 'case_not_accepted', 'delivery is chosen for an accepted case'))).toBe(true);
    expect(role.caseView(kase.id)).toMatchObject({ status: 'accepted', centralRejection: { type: 'chooseDelivery' } });
    expect(role.caseView(kase.id).delivery).toBeUndefined();

    role.finish(ticket.id);
    role.submitRating(ticket.id, 'satisfied');
    expect(role.centralRejected(reject('recordEvaluation', 'duplicate_evaluation', 'already rated'))).toBe(true);
    expect(role.history()[0]).toMatchObject({ rating: 'satisfied', ratingRejection: { type: 'recordEvaluation', code: 'duplicate_evaluation', reason: 'already rated' } });
  });

  it('queues a refusal with its reason and the missing materials of the notice', async () => {
    const { role, core, kase } = setup();
    await role.login('clerk1', 'right-password');
    await role.refuse(kase.id, '  ');
    expect(outbox(core, 'refuseCase')).toEqual([expect.objectContaining({ caseId: kase.id, reason: '材料不全：居民身份证', missingMaterialIds: ['m1'], staffId: 'staff-1' })]);
    expect(core.store.live.cases[kase.id]).toMatchObject({ status: 'refused', refusalReason: '材料不全：居民身份证' });
  });

  it('refuses case.form offline as `offline` (the screen says so), and takes the kiosk values as the open case’s working form', async () => {
    const { role, core, ticket, kase } = setup();
    await role.login('clerk1', 'right-password');
    const handlers = counterRoleHandlers(role, core, {});
    const offline = handlers['case.form']?.({ ticketId: ticket.id });
    await expect(offline).rejects.toBeInstanceOf(LocalRejection);
    await expect(offline).rejects.toMatchObject({ code: 'offline', message: expect.stringMatching(/not available offline/) });
    const served: unknown[] = [];
    const online = new CounterRole({
      ...roleOptions(role),
      caseForms: async (query) => {
        served.push(query);
        return { status: 'ok', forms: [{ caseId: kase.id, ticketId: ticket.id, serviceId: 's1', answers: {}, values: { note: '市民填写' }, submittedAt: kase.submittedAt }] };
      },
    });
    await online.login('clerk1', 'right-password');
    expect(await online.caseForm({ ticketId: ticket.id })).toMatchObject({ forms: [{ caseId: kase.id, values: { note: '市民填写' } }] });
    expect(served).toEqual([{ ticketId: ticket.id }]);
    expect(online.caseView(kase.id).values).toEqual({ note: '市民填写' });
    // The clerk's own edits are never overwritten by a later fetch.
    online.updateForm(kase.id, { note: '窗口修改' });
    await online.caseForm({ caseId: kase.id });
    expect(online.caseView(kase.id).values).toEqual({ note: '窗口修改' });
  });

  it('answers case.form from the hall mesh at once while the central API is known unreachable: a hung API does not hold the clerk', async () => {
    const { role, core } = setup();
    // A kiosk of the hall issued a ticket and submitted the citizen's form; the mesh brought both here.
    const kiosk = StationCore.open(join(mkdtempSync(join(tmpdir(), 'counter-role-kiosk-')), 'station.db'), { deviceId: 'kiosk-1', hallId: 'hall-1', role: 'kiosk' });
    kiosk.store.replaceCatalogue(testCatalogue());
    kiosk.store.addNumberBlock({ queueId: 'qA', day: kiosk.today(), start: 100, end: 110 });
    const ticket = kiosk.issueTicket({ serviceIds: ['s1'], kind: 'walk_in' });
    const kase = kiosk.submitForm({ serviceId: 's1', ticketId: ticket.id, answers: {}, values: { note: '市民填写' } });
    const vector = kiosk.store.meshVector()[0];
    core.store.receivePeerMutations(vector ? kiosk.store.meshMutationsAfter(vector.deviceId, vector.epoch, 0, 100) : []);
    kiosk.close();

    const link = { online: false };
    const asked: unknown[] = [];
    const hung = new CounterRole({
      ...roleOptions(role),
      online: () => link.online,
      caseForms: (query) => {
        asked.push(query);
        // The central API hangs while the sync status says so; connected, it says it has no copy yet.
        return link.online ? Promise.resolve({ status: 'offline', message: 'not yet' }) : new Promise(() => undefined);
      },
    });
    await hung.login('clerk1', 'right-password');
    expect(await hung.caseForm({ ticketId: ticket.id })).toMatchObject({ forms: [{ caseId: kase.id, values: { note: '市民填写' } }] });
    expect(asked).toEqual([]);
    // Connected, the central API is asked first, as before; the hall's copy stands in while it has none.
    link.online = true;
    expect(await hung.caseForm({ caseId: kase.id })).toMatchObject({ forms: [{ caseId: kase.id, values: { note: '市民填写' } }] });
    expect(asked).toEqual([{ caseId: kase.id }]);
  });
});

describe('信用情况 with the identity check', () => {
  it("shows the central API's no-shows and bar for the checked citizen, asked by keyed hash, and nothing when it cannot answer", async () => {
    const { role, kase, idNumber } = setup();
    const asked: string[] = [];
    const answer = { value: undefined as Error | undefined };
    const withStanding = new CounterRole({
      ...roleOptions(role),
      standing: async (idHash) => {
        asked.push(idHash);
        if (answer.value) throw answer.value;
        return { noShows: 3, windowDays: 30, barred: { until: '2026-12-31', reason: '30天内预约未到3次' } };
      },
    });
    opened.push({ core: roleOptions(role).core, role: withStanding });
    await withStanding.login('clerk1', 'right-password');
    const checked = await withStanding.checkIdentity(kase.id, 'manual', { idNumber, name: '陈小明' });
    expect(checked.identity?.standing).toEqual({ noShows: 3, windowDays: 30, barred: { until: '2026-12-31', reason: '30天内预约未到3次' } });
    expect(asked).toEqual([createHmac('sha256', KEY).update(normaliseIdNumber(idNumber)).digest('hex')]);
    answer.value = new Error('central API away');
    const offline = await withStanding.checkIdentity(kase.id, 'manual', { idNumber, name: '陈小明' });
    expect(offline.identity).toMatchObject({ matchesTicket: true });
    expect(offline.identity?.standing).toBeUndefined();
  });
});
