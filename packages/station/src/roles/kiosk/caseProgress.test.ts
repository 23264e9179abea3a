import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CaseSchema, makeTestIdNumber, receiptQrPayload, zonedInstant, type Case, type Catalogue } from '@hall/shared';
import { StationCore } from '../../core';
import { testCatalogue } from '../../testing/hall';
import { KioskBlacklist } from './repository';
import { citizenIdHash } from './citizens';
import { openKioskDb } from './kioskDb';
import { KioskRole, type KioskRoleOptions } from './role';

const ZONE = 'Asia/Shanghai';
const DAY = '2026-11-23';
const KEY = 'test-key';
const NOW = zonedInstant(DAY, '10:00', ZONE);
const TOKEN = 'receipt-token-aaaaaaaaaaaaaaaa';
/** The kiosk's refusal of a receipt: the one refusal type, with the problem as its code. */
const refusal = (code: string) => expect.objectContaining({ name: 'LocalRejection', code });

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function catalogue(): Catalogue {
  const base = testCatalogue();
  // s2 has a back-office review (promised days), s1 is settled at the counter.
  return { ...base, services: base.services.map((s) => (s.id === 's2' ? { ...s, guide: { ...s.guide, promisedDays: 5, statutoryDays: 10 } } : s)) };
}

const alice = makeTestIdNumber({ birthDate: '1950-04-04', sequence: 11 });
const bob = makeTestIdNumber({ birthDate: '1980-05-05', sequence: 12 });

function kase(id: string, idNumber: string, changes: Partial<Case>): Case {
  return CaseSchema.parse({
    id,
    hallId: 'hall-1',
    serviceId: 's2',
    citizen: { maskedName: '张*', idHash: citizenIdHash(idNumber, KEY) },
    status: 'accepted',
    submittedAt: '2026-11-10T01:00:00.000Z',
    acceptedAt: '2026-11-10T02:00:00.000Z',
    receiptToken: `${TOKEN}${id.slice(-4)}`,
    number: `BJ-${id}`,
    ...changes,
  });
}

/** A station that pulled these cases from the central API, then lost it: reopened from its file, no network at all. */
function offlineKiosk(cases: Case[], extra: Partial<KioskRoleOptions> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-progress-'));
  dirs.push(dir);
  const file = join(dir, 'station.db');
  const identity = { deviceId: 'k1', hallId: 'hall-1', role: 'kiosk' as const };
  const online = StationCore.open(file, identity, () => NOW);
  online.store.replaceCatalogue(catalogue());
  online.store.applyPage(
    cases.map((c, i) => ({ seq: i + 1, change: { entity: 'case' as const, id: c.id, data: c }, at: c.submittedAt })),
    cases.length,
  );
  online.close();
  const core = StationCore.open(file, identity, () => NOW);
  const role = new KioskRole({ db: openKioskDb(':memory:'), core, emit: () => undefined, idHashKey: KEY, followUrlBase: 'https://hall.example/f', now: () => NOW, ...extra });
  return { role, core };
}

describe('办件进度查询 at the kiosk', () => {
  const completed = kase('case-0001', alice, { status: 'completed', approvedAt: '2026-11-12T02:00:00.000Z', completedAt: '2026-11-13T02:00:00.000Z', delivery: 'counter' });
  const older = kase('case-0002', alice, {
    acceptedAt: '2026-11-01T02:00:00.000Z',
    submittedAt: '2026-11-01T01:00:00.000Z',
    status: 'supplement_requested',
    supplements: [{ id: 'sup-1', requestedAt: '2026-11-02T02:00:00.000Z', requestedByStaffId: 'o1', items: [{ note: '户口簿复印件不清晰' }], dueAt: '2026-11-16T09:59:59.000Z' }],
  });
  const posted = kase('case-0003', alice, {
    acceptedAt: '2026-11-15T02:00:00.000Z',
    status: 'delivered',
    completedAt: '2026-11-18T02:00:00.000Z',
    deliveredAt: '2026-11-19T02:00:00.000Z',
    delivery: 'post',
    handover: { method: 'post', courier: '中国邮政EMS', trackingNumber: 'EMS1234567' },
  });
  const bobs = kase('case-0004', bob, { dueAt: '2026-11-20T09:59:59.000Z' });

  it('opens the one case of a receipt whose token matches, offline, and refuses a forged or unreadable one', () => {
    const { role, core } = offlineKiosk([completed, older, posted, bobs]);
    expect(core.store.outbox()).toEqual([]);
    const result = role.caseProgress({ receipt: receiptQrPayload(completed) });
    expect(result).toEqual({
      cases: [
        {
          caseId: 'case-0001',
          number: 'BJ-case-0001',
          serviceId: 's2',
          since: '2026-11-10T02:00:00.000Z',
          maskedName: '张*',
          step: 'collect',
          where: 'counter',
          dueAt: expect.any(String),
          overdue: false,
        },
      ],
    });
    // Nothing personal beyond the masked name reaches the screen.
    expect(JSON.stringify(result)).not.toContain(citizenIdHash(alice, KEY));
    // A receipt printed as a /track link opens the same case at the kiosk's scanner.
    expect(role.caseProgress({ receipt: receiptQrPayload(completed, 'https://hall.example.gov.cn') })).toEqual(result);
    const forged = receiptQrPayload({ id: completed.id, receiptToken: `${TOKEN}XXXX` });
    expect(() => role.caseProgress({ receipt: forged })).toThrow(refusal('receipt_not_found'));
    // A token of another case does not open this one.
    expect(() => role.caseProgress({ receipt: `hall:case:${completed.id}:${bobs.receiptToken}` })).toThrow(refusal('receipt_not_found'));
    expect(() => role.caseProgress({ receipt: receiptQrPayload({ id: 'case-9999', receiptToken: completed.receiptToken }) })).toThrow(refusal('receipt_not_found'));
    expect(() => role.caseProgress({ receipt: 'hall:case:constructor:aaaaaaaaaaaaaaaaaaaaaaaa' })).toThrow(refusal('receipt_not_found'));
    expect(() => role.caseProgress({ receipt: 'hall:case:nonsense' })).toThrow(refusal('receipt_unreadable'));
  });

  it("lists the identified citizen's cases newest first, with what is missing, by when, and where the result went; never another citizen's", () => {
    const { role } = offlineKiosk([completed, older, posted, bobs]);
    const card = role.vault.addTyped(alice, DAY, []);
    const result = role.caseProgress({ citizenHandle: card.handle });
    expect(result.cases.map((c) => c.caseId)).toEqual(['case-0003', 'case-0001', 'case-0002']);
    expect(result.cases[0]).toMatchObject({ step: 'delivered', where: 'post', courier: '中国邮政EMS', trackingNumber: 'EMS1234567', overdue: false });
    expect(result.cases[0]?.dueAt).toBeUndefined();
    // The supplement deadline has passed: overdue, with the list of what to bring.
    expect(result.cases[2]).toMatchObject({ step: 'supplement', missing: ['户口簿复印件不清晰'], dueAt: '2026-11-16T09:59:59.000Z', overdue: true });
    expect(JSON.stringify(result)).not.toContain('case-0004');

    const other = role.vault.addTyped(bob, DAY, []);
    expect(role.caseProgress({ citizenHandle: other.handle })).toEqual({
      cases: [expect.objectContaining({ caseId: 'case-0004', step: 'review', dueAt: '2026-11-20T09:59:59.000Z', overdue: true })],
    });
    // A residence code names the citizen by the same keyed hash (its subject): the same cases.
    const code = role.vault.addResidenceCode(citizenIdHash(bob, KEY));
    expect(role.caseProgress({ citizenHandle: code.handle })).toMatchObject({ cases: [{ caseId: 'case-0004' }] });
    // A forgotten (or never issued) handle names nobody.
    role.vault.forget(card.handle);
    expect(() => role.caseProgress({ citizenHandle: card.handle })).toThrow(/identify again/);
  });
});

describe('a bar for a missed supplement at the kiosk', () => {
  it('says where the bar came from (case_overdue), from the list held here, offline', async () => {
    const idHash = citizenIdHash(alice, KEY);
    const bar = { idHash, reason: '办件BJ-1逾期未补正', until: '2027-02-21', source: 'case_overdue' };
    const { role } = offlineKiosk([], { blacklistList: async () => [bar], blacklist: async () => undefined });
    expect(await role.refreshBlacklist()).toBe(true);
    const card = role.vault.addTyped(alice, DAY, []);
    await expect(role.issue({ serviceIds: ['s1'], kind: 'walk_in', citizenHandle: card.handle })).rejects.toHaveProperty('refusal', {
      reason: 'blacklisted',
      why: bar.reason,
      until: bar.until,
      source: 'case_overdue',
    });
  });

  it('keeps the list of a kiosk installed before sources were kept', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE blacklist_hashes (id_hash TEXT NOT NULL, reason TEXT NOT NULL, until TEXT NOT NULL, PRIMARY KEY (id_hash, until))');
    db.prepare('INSERT INTO blacklist_hashes VALUES (?, ?, ?)').run('h1', '30天内预约未到3次', '2026-12-01');
    const list = new KioskBlacklist(db);
    expect(list.barred('h1', DAY)).toEqual({ reason: '30天内预约未到3次', until: '2026-12-01' });
    list.learn('h2', { reason: '办件逾期未补正', until: '2026-12-02', source: 'case_overdue' });
    expect(list.barred('h2', DAY)).toEqual({ reason: '办件逾期未补正', until: '2026-12-02', source: 'case_overdue' });
  });
});
