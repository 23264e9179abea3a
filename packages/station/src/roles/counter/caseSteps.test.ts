import { createHmac } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTestIdNumber, normaliseIdNumber, receiptQrPayload, type Catalogue, type StaffSchema } from '@hall/shared';
import type { z } from 'zod';
import { StationCore } from '../../core';
import { testCatalogue } from '../../testing/hall';
import type { CentralLogin } from './clerkAuth';
import { openCounterDb } from './counterDb';
import { CounterRole, type CounterRoleOptions } from './role';

const KEY = 'unit-test-city-key';
const staff: z.input<typeof StaffSchema> = { id: 'staff-1', hallId: 'hall-1', login: 'clerk1', displayName: '窗口一号办事员', staffNumber: 'SW010', roles: ['clerk'] };
const central: CentralLogin = async () => ({
  status: 200,
  body: { token: 't'.repeat(40), expiresAt: new Date().toISOString(), staff, clerkKey: { id: 'ck-test', secret: 'k'.repeat(43) } },
});

const opened: { core: StationCore; role: CounterRole }[] = [];
afterEach(() => {
  for (const { core, role } of opened.splice(0)) {
    role.close();
    core.close();
  }
});

/** A counter with a signed-in clerk and one kiosk case of a citizen identified by ID card; `adjust` changes the catalogue. */
async function setup(adjust: (c: Catalogue) => Catalogue = (c) => c, extra: Partial<CounterRoleOptions> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'case-steps-'));
  const core = StationCore.open(join(dir, 'station.db'), { deviceId: 'counter-1', hallId: 'hall-1', role: 'counter', counterId: 'c1' });
  core.store.replaceCatalogue(adjust(testCatalogue()));
  core.store.addNumberBlock({ queueId: 'qA', day: core.today(), start: 1, end: 50 });
  const db = openCounterDb(join(dir, 'counter.db'));
  const role = new CounterRole({ core, db, central, emit: () => undefined, idHashKey: KEY, ...extra });
  opened.push({ core, role });
  await role.login('clerk1', 'any');
  const idNumber = makeTestIdNumber({ sequence: 21 });
  const citizen = { maskedName: '陈*明', idHash: createHmac('sha256', KEY).update(normaliseIdNumber(idNumber)).digest('hex') };
  const ticket = core.issueTicket({ serviceIds: ['s1'], kind: 'walk_in', citizen });
  const kase = core.submitForm({ serviceId: 's1', ticketId: ticket.id, answers: {}, values: {}, citizen });
  core.ticketCommand('callSpecific', ticket.id);
  role.startServing(ticket.id);
  return { core, role, kase, idNumber, db };
}

const pendingAllowed = (c: Catalogue): Catalogue => ({ ...c, services: c.services.map((s) => (s.id === 's1' ? { ...s, acceptWithPendingMaterials: true } : s)), version: 'pending' });

describe('容缺受理 at the counter', () => {
  it('accepts with the missing material pending, lists it on the receipt, and holds completion until it is brought', async () => {
    const { role, kase } = await setup(pendingAllowed);
    await expect(role.accept(kase.id)).rejects.toMatchObject({ code: 'materials_missing' });
    const { receipt } = await role.accept(kase.id, ['m1']);
    expect(receipt.preview).toContain('容缺待补');
    expect(receipt.preview).toContain('居民身份证');
    const steps = role.caseSteps;
    expect(steps.get(kase.id).materials).toEqual([expect.objectContaining({ materialId: 'm1', pending: true, received: false })]);
    // 即办 service, but the pending material must come first.
    expect(() => steps.complete(kase.id)).toThrow(expect.objectContaining({ code: 'materials_pending' }));
    expect(steps.recordSupplement(kase.id, ['m1']).materials).toEqual([expect.objectContaining({ pending: false, received: true })]);
    expect(steps.complete(kase.id)).toMatchObject({ status: 'completed', stage: 'collection' });
    expect(steps.get(kase.id).timeline.map((s) => s.kind)).toEqual(['submitted', 'accepted', 'pending_material_received', 'completed']);
  });

  it('is refused where the service does not allow it', async () => {
    const { role, kase } = await setup();
    await expect(role.accept(kase.id, ['m1'])).rejects.toMatchObject({ code: 'pending_not_allowed' });
  });
});

describe('受理咨询 before accepting', () => {
  it('records the question on the case and holds the acceptance until the department answers', async () => {
    const { role, kase } = await setup();
    role.checkMaterial(kase.id, 'm1', true);
    expect(role.caseSteps.requestConsult(kase.id, '申请人户籍迁入未满一年，可否受理？')).toMatchObject({ consult: { status: 'pending' }, timeline: expect.arrayContaining([expect.objectContaining({ kind: 'consult_requested' })]) });
    expect(role.caseView(kase.id).consult).toMatchObject({ status: 'pending', question: '申请人户籍迁入未满一年，可否受理？' });
    await expect(role.accept(kase.id)).rejects.toMatchObject({ code: 'consult_pending' });
    expect(() => role.caseSteps.requestConsult(kase.id, '再问一次')).toThrow(expect.objectContaining({ code: 'consult_pending' }));
  });
});

describe('finding a case at any counter', () => {
  it('by number, by ID number, and by the receipt QR only when its token matches', async () => {
    const { core, role, kase, idNumber } = await setup();
    role.checkMaterial(kase.id, 'm1', true);
    const { case: accepted } = await role.accept(kase.id);
    const steps = role.caseSteps;
    expect(steps.find({ number: accepted.caseNumber ?? '' }).map((c) => c.caseId)).toEqual([kase.id]);
    expect(steps.find({ number: 'no-such-number' })).toEqual([]);
    expect(steps.find({ idNumber }).map((c) => c.caseId)).toEqual([kase.id]);
    expect(() => steps.find({ idNumber: '123456789012345678' })).toThrow(expect.objectContaining({ code: 'invalid_id_number' }));
    const qr = receiptQrPayload(core.store.live.cases[kase.id]!);
    expect(steps.receipt(qr)).toMatchObject({ outcome: 'found', caseId: kase.id });
    const forged = `${qr.slice(0, -2)}${qr.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(steps.receipt(forged)).toMatchObject({ outcome: 'token_mismatch' });
    expect(() => steps.find({ receipt: forged })).toThrow(expect.objectContaining({ code: 'receipt_mismatch' }));
    expect(steps.receipt(`hall:case:00000000-0000-7000-8000-000000000000:${'A'.repeat(22)}`)).toMatchObject({ outcome: 'unknown' });
  });
});

describe('posting the result', () => {
  it('changes delivery with a reason, completes, and hands over by post with a mailing slip naming the tracking number', async () => {
    const { role, kase } = await setup();
    role.checkMaterial(kase.id, 'm1', true);
    await role.accept(kase.id);
    await role.setDelivery(kase.id, 'counter');
    const steps = role.caseSteps;
    expect(() => steps.changeDelivery(kase.id, 'counter', '同样的方式')).toThrow(expect.objectContaining({ code: 'same_delivery' }));
    expect(steps.changeDelivery(kase.id, 'post', '申请人改为邮寄')).toMatchObject({ delivery: 'post', timeline: expect.arrayContaining([expect.objectContaining({ kind: 'changed', counterNumber: '1', note: expect.stringContaining('申请人改为邮寄') })]) });
    await expect(steps.handOver({ caseId: kase.id, method: 'post', courier: 'EMS', trackingNumber: 'EA123456789CN' })).rejects.toMatchObject({ code: 'case_wrong_status' });
    steps.complete(kase.id);
    const { case: posted, slip } = await steps.handOver({ caseId: kase.id, method: 'post', courier: 'EMS', trackingNumber: 'EA123456789CN' });
    expect(posted).toMatchObject({ status: 'delivered', handover: { method: 'post', courier: 'EMS', trackingNumber: 'EA123456789CN' } });
    expect(slip).toMatchObject({ kind: 'mailing_slip', caseId: kase.id, printed: false });
    expect(slip?.preview).toContain('EA123456789CN');
  });
});

describe("the acceptance receipt's QR", () => {
  /** The QR's text as the printer receives it: the ESC/POS bytes carry it verbatim. */
  const printedBytes = (db: ReturnType<typeof openCounterDb>, caseId: string) =>
    Buffer.from((db.prepare(`SELECT escpos FROM prints WHERE case_id = ? AND kind = 'acceptance_receipt'`).get(caseId) as { escpos: Buffer }).escpos).toString('latin1');

  it("links the central API's /track page when the counter knows its public address, and opens the case again when scanned", async () => {
    const { core, role, kase, db } = await setup((c) => c, { publicBaseUrl: 'https://hall.example.gov.cn/' });
    role.checkMaterial(kase.id, 'm1', true);
    await role.accept(kase.id);
    const link = receiptQrPayload(core.store.live.cases[kase.id]!, 'https://hall.example.gov.cn');
    expect(link).toMatch(new RegExp(`^https://hall\\.example\\.gov\\.cn/track/${kase.id}\\.[\\w-]{22,}$`));
    expect(printedBytes(db, kase.id)).toContain(link);
    expect(role.caseSteps.receipt(link)).toMatchObject({ outcome: 'found', caseId: kase.id });
  });

  it('stays the hall-only hall:case: text without one', async () => {
    const { core, role, kase, db } = await setup();
    role.checkMaterial(kase.id, 'm1', true);
    await role.accept(kase.id);
    const bytes = printedBytes(db, kase.id);
    expect(bytes).toContain(receiptQrPayload(core.store.live.cases[kase.id]!));
    expect(bytes).not.toContain('/track/');
  });
});
