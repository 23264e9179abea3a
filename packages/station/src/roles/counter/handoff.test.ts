import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { handoffCases, handoffSlipCode, parseHandoffSlipCode, type StaffSchema } from '@hall/shared';
import type { z } from 'zod';
import { StationCore } from '../../core';
import { testCatalogue } from '../../testing/hall';
import type { CentralLogin } from './clerkAuth';
import { openCounterDb } from './counterDb';
import { handoffScanned } from './handoff';
import { CounterRole } from './role';

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

/** A counter (offline: no central API) with a signed-in clerk that accepted two citizens' cases. */
async function twoAccepted() {
  const dir = mkdtempSync(join(tmpdir(), 'handoff-'));
  const core = StationCore.open(join(dir, 'station.db'), { deviceId: 'counter-1', hallId: 'hall-1', role: 'counter', counterId: 'c1' });
  core.store.replaceCatalogue({ ...testCatalogue(), cityHalls: [{ id: 'hall-2', name: { zh: '市民服务中心' } }] });
  core.store.addNumberBlock({ queueId: 'qA', day: core.today(), start: 1, end: 50 });
  const role = new CounterRole({ core, db: openCounterDb(join(dir, 'counter.db')), central, emit: () => undefined, idHashKey: 'unit-test-key' });
  opened.push({ core, role });
  await role.login('clerk1', 'any');
  const caseIds: string[] = [];
  for (const [n, maskedName] of [[1, '陈*明'], [2, '王*']] as const) {
    const citizen = { maskedName, idHash: `${'ab'.repeat(31)}0${n}` };
    const ticket = core.issueTicket({ serviceIds: ['s1'], kind: 'walk_in', citizen });
    const kase = core.submitForm({ serviceId: 's1', ticketId: ticket.id, answers: {}, values: {}, citizen });
    core.ticketCommand('callSpecific', ticket.id);
    role.startServing(ticket.id);
    role.checkMaterial(kase.id, 'm1', true);
    await role.accept(kase.id);
    role.finish(ticket.id);
    caseIds.push(kase.id);
  }
  return { core, role, caseIds };
}

describe('hand-off slips at the counter', () => {
  it('bundles two accepted cases into a package with an edited paper list and prints the slip with its code, applicants masked', async () => {
    const { core, role, caseIds } = await twoAccepted();
    expect(role.handoffs.defaultItems(caseIds[0]!)).toEqual([{ id: 'm1', name: '居民身份证', copies: 1 }]);
    expect(role.handoffs.candidates().map((c) => c.caseId).sort()).toEqual([...caseIds].sort());
    const { handoff, slip } = await role.handoffs.start([{ caseId: caseIds[0]! }, { caseId: caseIds[1]!, items: [{ id: 'm1', name: '居民身份证', copies: 1 }, { id: 'extra-1', name: '委托书', copies: 1 }] }]);
    expect(slip.kind).toBe('handoff_slip');
    expect(slip.preview).toContain('物料流转包');
    expect(slip.preview).toContain('陈*明');
    expect(slip.preview).toContain('委托书');
    expect(slip.preview).toContain(handoff.number);
    expect(parseHandoffSlipCode(handoff.code)).toMatchObject({ hallId: 'hall-1', handoffId: handoff.id });
    expect(handoff.cases.map((c) => c.step)).toEqual(['acceptance', 'acceptance']);
    // The package is a pending sync mutation, decided like any other.
    expect(core.store.live.cases[caseIds[1]!]!.handoff).toMatchObject({ id: handoff.id, items: [{ id: 'm1' }, { id: 'extra-1' }] });
  });

  it('signs a scanned slip in at the delivery counter once the result exists, and hands the paper out with the result', async () => {
    const { core, role, caseIds } = await twoAccepted();
    const { handoff } = await role.handoffs.start(caseIds.map((caseId) => ({ caseId })));
    // s1 is 即办: the counter completes it itself.
    expect(handoffScanned(role.handoffs, handoff.code)).toMatchObject({ outcome: 'refused', code: 'case_not_ready' });
    for (const id of caseIds) role.caseSteps.complete(id);
    // The scanner shows the slip for the check and sends nothing; 签收 on the check screen signs it.
    expect(handoffScanned(role.handoffs, handoff.code)).toMatchObject({ outcome: 'check', slipCode: handoff.code, handoff: { cases: [{ step: 'acceptance' }, { step: 'acceptance' }] } });
    expect(core.store.live.cases[caseIds[0]!]!.handoff).toMatchObject({ step: 'acceptance', moves: [] });
    expect(role.handoffs.scan(handoff.code)).toMatchObject({ cases: [{ step: 'delivery' }, { step: 'delivery' }] });
    expect(handoffScanned(role.handoffs, handoff.code)).toMatchObject({ outcome: 'refused', code: 'already_signed' });
    role.caseSteps.changeDelivery(caseIds[0]!, 'post', '申请人要求邮寄');
    await role.caseSteps.handOver({ caseId: caseIds[0]!, method: 'post', courier: '邮政EMS', trackingNumber: 'EMS0001' });
    const view = role.handoffs.view(handoffCases(core.store.live.cases, handoff.id));
    expect(view.cases.map((c) => [c.caseId, c.step])).toEqual(expect.arrayContaining([[caseIds[0], 'post'], [caseIds[1], 'delivery']]));
  });

  it('shows the slip before its sign-in, sending nothing, then signs it in with the papers marked missing and extra', async () => {
    const { core, role, caseIds } = await twoAccepted();
    const { handoff } = await role.handoffs.start(caseIds.map((caseId) => ({ caseId })));
    expect(() => role.handoffs.preview(handoff.code)).toThrow(/approved case/);
    for (const id of caseIds) role.caseSteps.complete(id);
    const preview = role.handoffs.preview(handoff.code);
    expect(preview.cases.map((c) => [c.step, c.items.length > 0, c.moves.length])).toEqual([['acceptance', true, 0], ['acceptance', true, 0]]);
    expect(core.store.live.cases[caseIds[0]!]!.handoff).toMatchObject({ step: 'acceptance', moves: [] });
    const missing = preview.cases[0]!.items[0]!.id;
    const signed = role.handoffs.scan(handoff.code, { marks: [{ caseId: caseIds[0]!, missing: [missing], extra: ['结婚证复印件'] }] });
    expect(signed.cases[0]!.moves).toEqual([expect.objectContaining({ to: 'delivery', missing: [missing], extra: ['结婚证复印件'] })]);
    expect(signed.cases[1]!.moves).toEqual([expect.objectContaining({ to: 'delivery', missing: [], extra: [] })]);
    // Once signed, the lookup says so, as a second scan would.
    expect(() => role.handoffs.preview(handoff.code)).toThrow(/already signed/);
  });

  it('refuses another hall\'s slip, an altered code and a receipt', async () => {
    const { role, caseIds } = await twoAccepted();
    const { handoff } = await role.handoffs.start([{ caseId: caseIds[0]! }]);
    const parsed = parseHandoffSlipCode(handoff.code)!;
    expect(handoffScanned(role.handoffs, handoffSlipCode('hall-2', { id: parsed.handoffId, token: parsed.token }))).toMatchObject({ outcome: 'refused', code: 'other_hall' });
    expect(handoffScanned(role.handoffs, `${handoff.code.slice(0, -3)}abc`)).toMatchObject({ outcome: 'refused', code: 'forged_code' });
    expect(handoffScanned(role.handoffs, 'hall:handoff:broken')).toMatchObject({ outcome: 'refused', code: 'not_a_slip' });
  });

  it('sends a slip to another hall of the city (跨厅流转), printed on the slip, and refuses a hall the city does not have', async () => {
    const { core, role, caseIds } = await twoAccepted();
    await expect(role.handoffs.start([{ caseId: caseIds[0]! }], 'hall-9')).rejects.toThrow(/not a hall of this city/);
    const { handoff, slip } = await role.handoffs.start([{ caseId: caseIds[0]! }], 'hall-2');
    expect(core.store.live.cases[caseIds[0]!]!.handoff).toMatchObject({ id: handoff.id, hallId: 'hall-1', toHallId: 'hall-2' });
    expect(slip.preview).toContain('流转至：市民服务中心');
    // This hall's slip to its own desks says nothing of the kind.
    const local = await role.handoffs.start([{ caseId: caseIds[1]! }]);
    expect(core.store.live.cases[caseIds[1]!]!.handoff!.toHallId).toBeUndefined();
    expect(local.slip.preview).not.toContain('流转至');
  });
});
