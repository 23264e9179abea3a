import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CODE_PREFIXES, decodeBase64Url, encodeBase64Url, makeTestIdNumber, type ResidenceCodeScan, type StaffSchema } from '@hall/shared';
import type { z } from 'zod';
import { StationCore } from '../../core';
import { StationCodeVerifier } from '../../residence-code/verifier';
import { TestCodeIssuer } from '../../residence-code/testing';
import { testCatalogue } from '../../testing/hall';
import { openCounterDb } from './counterDb';
import { CounterResidenceCodes, looksLikeResidenceCode } from './residenceCode';
import { CounterRole } from './role';

const staff: z.input<typeof StaffSchema> = { id: 'staff-1', hallId: 'hall-1', login: 'clerk1', displayName: '窗口一号办事员', staffNumber: 'SW010', roles: ['clerk'] };

const opened: { core: StationCore; role: CounterRole }[] = [];
afterEach(() => {
  for (const { core, role } of opened.splice(0)) {
    role.close();
    core.close();
  }
});

/** A counter whose citizen took the ticket with a residence code at the kiosk (the ticket names them by the code's subject). */
function setup(options: { withCase?: boolean; citizen?: boolean } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'counter-rc-'));
  const core = StationCore.open(join(dir, 'station.db'), { deviceId: 'counter-1', hallId: 'hall-1', role: 'counter', counterId: 'c1' });
  core.store.replaceCatalogue(testCatalogue());
  core.store.addNumberBlock({ queueId: 'qA', day: core.today(), start: 1, end: 50 });
  const db = openCounterDb(join(dir, 'counter.db'));
  const scans: ResidenceCodeScan[] = [];
  const role = new CounterRole({
    core,
    db,
    central: async () => ({ status: 200, body: { token: 't'.repeat(40), expiresAt: new Date().toISOString(), staff, clerkKey: { id: 'ck-test', secret: 'k'.repeat(43) } } }),
    emit: (event, data) => {
      if (event === 'counter.residenceCode') scans.push(data as ResidenceCodeScan);
    },
    idHashKey: 'unit-test-city-key',
  });
  opened.push({ core, role });
  const issuer = new TestCodeIssuer();
  const verifier = new StationCodeVerifier(db);
  expect(verifier.keys.update(issuer.keySet(), Date.now())).toEqual({ ok: true });
  const idNumber = makeTestIdNumber({ sequence: 31 });
  const citizen = { maskedName: '陈*明', idHash: Buffer.from(issuer.subjectOf(idNumber)).toString('hex') };
  const ticket = core.issueTicket({ serviceIds: ['s1'], kind: 'walk_in', ...(options.citizen === false ? {} : { citizen }) });
  const kase =
    options.withCase === false
      ? undefined
      : core.submitForm({ serviceId: 's1', ticketId: ticket.id, answers: {}, values: {}, ...(options.citizen === false ? {} : { citizen }) });
  const codes = new CounterResidenceCodes({ core, role, verifier, emit: (event, data) => role['options'].emit(event, data) });
  return { core, role, db, issuer, verifier, codes, scans, idNumber, ticket, kase };
}

async function serving(s: ReturnType<typeof setup>): Promise<void> {
  await s.role.login('clerk1', 'pw');
  expect(s.core.callNext()?.id).toBe(s.ticket.id);
}

describe('residence code at the counter', () => {
  it('tells residence codes from call-pad codes', () => {
    expect(looksLikeResidenceCode(`${CODE_PREFIXES.residence}AAAA`)).toBe(true);
    expect(looksLikeResidenceCode('CALL:NEXT')).toBe(false);
    expect(looksLikeResidenceCode(`${CODE_PREFIXES.deposit}AAAA`)).toBe(false);
  });

  it("confirms the ticket holder's own code and records it on the case, with no number shown", async () => {
    const s = setup();
    await serving(s);
    const result = s.codes.scanned(s.issuer.residence(s.idNumber));
    expect(result).toMatchObject({ outcome: 'confirmed', ticketId: s.ticket.id, ticketNumber: s.ticket.number, caseIds: [s.kase?.id] });
    expect(s.scans).toEqual([result]);
    const view = s.role.caseView(s.kase?.id ?? '');
    expect(view.identity).toMatchObject({ method: 'residence_code', matchesTicket: true, maskedName: '陈*明', maskedIdNumber: '—' });
    expect(JSON.stringify(view)).not.toContain(s.idNumber);
  });

  it("warns when the code names someone other than the ticket's citizen", async () => {
    const s = setup();
    await serving(s);
    const stranger = makeTestIdNumber({ sequence: 32 });
    expect(s.codes.scanned(s.issuer.residence(stranger))).toMatchObject({ outcome: 'mismatch' });
    expect(s.role.caseView(s.kase?.id ?? '').identity).toMatchObject({ method: 'residence_code', matchesTicket: false, maskedName: '—' });
  });

  it('refuses forged, replayed, expired, unknown-key and malformed codes, saying which, and records nothing', async () => {
    const s = setup();
    await serving(s);
    const valid = s.issuer.residence(s.idNumber);
    const body = decodeBase64Url(valid.slice(CODE_PREFIXES.residence.length));
    if (!body) throw new Error('test code did not decode');
    body[body.length - 1] = (body[body.length - 1] ?? 0) ^ 0x01;
    const forged = CODE_PREFIXES.residence + encodeBase64Url(body);
    expect(s.codes.scanned(forged)).toMatchObject({ outcome: 'refused', reason: 'forged', caseIds: [] });
    expect(s.role.caseView(s.kase?.id ?? '').identity).toBeUndefined();
    // The forged copy did not spend the real code's one use.
    expect(s.codes.scanned(valid).outcome).toBe('confirmed');
    expect(s.codes.scanned(valid)).toMatchObject({ outcome: 'refused', reason: 'replayed' });
    const expired = s.issuer.residence(s.idNumber, { issuedAtMs: Date.now() - 10 * 60_000, lifetimeSeconds: 120 });
    expect(s.codes.scanned(expired)).toMatchObject({ outcome: 'refused', reason: 'expired' });
    const unknownKey = s.issuer.residence(s.idNumber, { key: s.issuer.addKey() });
    expect(s.codes.scanned(unknownKey)).toMatchObject({ outcome: 'refused', reason: 'unknown_key' });
    expect(s.codes.scanned(`${CODE_PREFIXES.residence}not*base64`)).toMatchObject({ outcome: 'refused', reason: 'malformed' });
  });

  it('remembers used codes across a restart (the replay ledger is on disk)', async () => {
    const s = setup();
    await serving(s);
    const code = s.issuer.residence(s.idNumber);
    expect(s.codes.scanned(code).outcome).toBe('confirmed');
    // A new verifier over the same database: keys and seen nonces both survive, offline.
    const again = new CounterResidenceCodes({ core: s.core, role: s.role, verifier: new StationCodeVerifier(s.db), emit: () => undefined });
    expect(again.scanned(code)).toMatchObject({ outcome: 'refused', reason: 'replayed' });
    expect(again.scanned(s.issuer.residence(s.idNumber)).outcome).toBe('confirmed');
  });

  it('does nothing without a held ticket, and does not spend the code', async () => {
    const s = setup();
    await s.role.login('clerk1', 'pw');
    const code = s.issuer.residence(s.idNumber);
    expect(s.codes.scanned(code)).toMatchObject({ outcome: 'no_ticket', caseIds: [] });
    expect(s.core.callNext()?.id).toBe(s.ticket.id);
    expect(s.codes.scanned(code).outcome).toBe('confirmed');
  });

  it('records a code on a ticket that named nobody as unmatched, and leaves decided cases alone', async () => {
    const s = setup({ citizen: false });
    await serving(s);
    const kaseId = s.kase?.id ?? '';
    expect(s.codes.scanned(s.issuer.residence(s.idNumber))).toMatchObject({ outcome: 'no_reference', caseIds: [kaseId] });
    expect(s.role.caseView(kaseId).identity?.matchesTicket).toBeNull();
    await s.role.refuse(kaseId);
    expect(s.codes.scanned(s.issuer.residence(s.idNumber))).toMatchObject({ outcome: 'no_reference', caseIds: [] });
  });
});

describe('码上受理: the counter fills its form from the fields sealed in the code', () => {
  const form = {
    id: 'f1',
    version: 1,
    title: { zh: '申请表' },
    sections: [
      {
        id: 'applicant',
        title: { zh: '申请人' },
        fields: [
          { id: 'name', label: { zh: '姓名' }, kind: 'text' as const, required: true, autofill: ['idcard.name' as const, 'residenceCode.name' as const], personal: true },
          { id: 'idNumber', label: { zh: '身份证号' }, kind: 'id_number' as const, required: true, autofill: ['residenceCode.idNumber' as const], personal: true },
          { id: 'address', label: { zh: '居住地址' }, kind: 'address' as const, required: true, autofill: ['residenceCode.address' as const], personal: true },
          { id: 'employer', label: { zh: '工作单位' }, kind: 'text' as const, required: false, autofill: [], personal: false },
        ],
      },
    ],
  };
  // Made-up citizen; never a real person's data.
  const FIELDS = { name: '陈测试明', address: '广东省汕尾市城区测试路3号' };

  function withForm(options: { citizen?: boolean } = {}) {
    const s = setup(options);
    const catalogue = testCatalogue();
    s.core.store.replaceCatalogue({ ...catalogue, forms: [form], services: catalogue.services.map((svc) => (svc.id === 's1' ? { ...svc, formId: 'f1' } : svc)) });
    const codes = new CounterResidenceCodes({ core: s.core, role: s.role, verifier: s.verifier, emit: () => undefined, dataKeys: () => s.issuer.dataKeyRing() });
    return { ...s, codes };
  }

  it('fills name, ID number and address offline, masked on screen, marked as read from the code; typed values stay', async () => {
    const s = withForm();
    await serving(s);
    const caseId = s.kase!.id;
    s.role.updateForm(caseId, { address: '窗口已填的地址' });
    const result = s.codes.scanned(s.issuer.residence(s.idNumber, { fields: FIELDS }));
    expect(result).toMatchObject({ outcome: 'confirmed', filled: { [caseId]: ['name', 'idNumber'] } });
    const view = s.role.caseView(caseId);
    expect(view.fromResidenceCode).toEqual(['name', 'idNumber']);
    expect(view.values).toMatchObject({ name: '陈**明', idNumber: `${s.idNumber.slice(0, 4)}**********${s.idNumber.slice(14)}`, address: '窗*****址' });
    expect(view.identity).toMatchObject({ method: 'residence_code', matchesTicket: true, maskedName: '陈**明' });
    expect(JSON.stringify(view)).not.toContain(s.idNumber);
    expect(JSON.stringify(result)).not.toContain(FIELDS.name);
    // The clerk types over a filled field: it is the clerk's now.
    expect(s.role.updateForm(caseId, { name: '陈改名' }).fromResidenceCode).toEqual(['idNumber']);
  });

  it("fills nothing from a code naming someone other than the ticket's citizen, and nothing without the data key", async () => {
    const s = withForm();
    await serving(s);
    const other = s.codes.scanned(s.issuer.residence(makeTestIdNumber({ sequence: 32 }), { fields: FIELDS }));
    expect(other.outcome).toBe('mismatch');
    expect(other.filled).toBeUndefined();
    // The clerk sees whom the wrong code names (masked).
    expect(s.role.caseView(s.kase!.id).identity).toMatchObject({ matchesTicket: false, maskedName: '陈**明' });
    const keyless = new CounterResidenceCodes({ core: s.core, role: s.role, verifier: s.verifier, emit: () => undefined });
    expect(keyless.scanned(s.issuer.residence(s.idNumber, { fields: FIELDS }))).toMatchObject({ outcome: 'confirmed' });
    expect(s.role.caseView(s.kase!.id).values).toEqual({});
  });
});
