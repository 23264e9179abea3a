import { afterEach, describe, expect, it } from 'vitest';
import { makeTestIdNumber, zonedInstant, type StationApiHandlers } from '@hall/shared';
import { stationApiHandlers } from '../../api';
import { citizenIdHash } from './citizens';
import { removeTestKiosks, testKiosk, TEST_KIOSK_DAY, TEST_KIOSK_KEY } from './testKiosk';

const DAY = TEST_KIOSK_DAY;
const KEY = TEST_KIOSK_KEY;
afterEach(removeTestKiosks);

/** A kiosk station as the kiosk app builds it: the core's handlers with the kiosk role's on top. */
function kiosk() {
  const { core, role } = testKiosk({ numbers: true });
  const handlers: StationApiHandlers = { ...stationApiHandlers(core, undefined, () => []), ...role.handlers() };
  const call = async <M extends 'ticket.issue' | 'case.submit'>(method: M, params: Parameters<NonNullable<StationApiHandlers[M]>>[0]) =>
    (handlers[method] as (p: typeof params) => unknown)(params);
  return { core, role, call, plain: stationApiHandlers(core, undefined, () => []) };
}

const refusal = async (work: () => unknown) => {
  try {
    await work();
  } catch (error) {
    return (error as { error?: { reason?: string } }).error?.reason;
  }
  return 'accepted';
};

describe('kiosk decisions the screen cannot make', () => {
  const elderly = makeTestIdNumber({ birthDate: '1940-02-02' });
  const young = makeTestIdNumber({ birthDate: '1990-02-02' });

  it('issues with the identified citizen and the priority group the hall gives their age', async () => {
    const { role, call } = kiosk();
    const old = role.vault.addTyped(elderly, DAY, []);
    const ticket = (await call('ticket.issue', { serviceIds: ['s1'], kind: 'walk_in', citizenHandle: old.handle })) as { citizen?: { idHash: string }; priorityGroupId?: string };
    expect(ticket.citizen?.idHash).toBe(citizenIdHash(elderly, KEY));
    // The catalogue's elderly group starts at 70: decided from the document, not from the view handed out.
    expect(ticket.priorityGroupId).toBe('elderly');
    const youngView = role.vault.addTyped(young, DAY, []);
    const plain = (await call('ticket.issue', { serviceIds: ['s1'], kind: 'walk_in', citizenHandle: youngView.handle })) as { priorityGroupId?: string };
    expect(plain.priorityGroupId).toBeUndefined();
  });

  it('refuses a citizen, priority group or appointment kind the kiosk did not decide', async () => {
    const { role, call, core } = kiosk();
    const youngView = role.vault.addTyped(young, DAY, []);
    const forgedCitizen = { maskedName: '张*', idHash: 'ab'.repeat(32) };
    expect(await refusal(() => call('ticket.issue', { serviceIds: ['s1'], kind: 'walk_in', citizen: forgedCitizen }))).toBe('citizen_not_identified');
    expect(await refusal(() => call('ticket.issue', { serviceIds: ['s1'], kind: 'walk_in', citizenHandle: youngView.handle, citizen: forgedCitizen }))).toBe('citizen_not_identified');
    expect(await refusal(() => call('ticket.issue', { serviceIds: ['s1'], kind: 'walk_in', priorityGroupId: 'elderly' }))).toBe('priority_not_decided');
    expect(await refusal(() => call('ticket.issue', { serviceIds: ['s1'], kind: 'walk_in', citizenHandle: youngView.handle, priorityGroupId: 'elderly' }))).toBe('priority_not_decided');
    expect(await refusal(() => call('ticket.issue', { serviceIds: ['s1'], kind: 'appointment' }))).toBe('kind_not_decided');
    expect(await refusal(() => call('ticket.issue', { serviceIds: ['s1'], kind: 'walk_in', appointmentId: 'ap-1' }))).toBe('kind_not_decided');
    expect(Object.keys(core.store.live.queue.tickets)).toHaveLength(0);
    // What the kiosk decided, sent back as is, is fine.
    const oldView = role.vault.addTyped(elderly, DAY, []);
    const same = { maskedName: role.vault.get(oldView.handle)!.ref.maskedName, idHash: citizenIdHash(elderly, KEY) };
    expect(await refusal(() => call('ticket.issue', { serviceIds: ['s1'], kind: 'walk_in', citizenHandle: oldView.handle, citizen: same, priorityGroupId: 'elderly' }))).toBe('accepted');
  });

  it("puts the identified citizen on a case and refuses one the screen names", async () => {
    const { role, call, core } = kiosk();
    const view = role.vault.addTyped(young, DAY, []);
    const kase = (await call('case.submit', { serviceId: 's1', answers: {}, values: {}, citizenHandle: view.handle })) as { id: string; citizen?: { idHash: string } };
    expect(kase.citizen?.idHash).toBe(citizenIdHash(young, KEY));
    expect(await refusal(() => call('case.submit', { serviceId: 's1', answers: {}, values: {}, citizen: { maskedName: '李*', idHash: 'cd'.repeat(32) } }))).toBe('citizen_not_identified');
    expect(Object.keys(core.store.live.cases)).toEqual([kase.id]);
  });

  it('leaves a station without the kiosk rules no citizen or priority to take from the screen', async () => {
    const { plain } = kiosk();
    const issue = plain['ticket.issue']!;
    expect(await refusal(() => issue({ serviceIds: ['s1'], kind: 'walk_in', citizen: { maskedName: '张*', idHash: 'ab'.repeat(32) } }))).toBe('not_decided_by_station');
    expect(await refusal(() => issue({ serviceIds: ['s1'], kind: 'walk_in', priorityGroupId: 'elderly' }))).toBe('not_decided_by_station');
    expect(await refusal(() => plain['case.submit']!({ serviceId: 's1', answers: {}, values: {}, citizen: { maskedName: '张*', idHash: 'ab'.repeat(32) } }))).toBe('not_decided_by_station');
    expect(await refusal(() => issue({ serviceIds: ['s1'], kind: 'walk_in' }))).toBe('accepted');
  });

  it('refuses locally what a kiosk may not send to the central API', async () => {
    const { core } = kiosk();
    expect(() => core.store.commit({ type: 'callNext', command: { type: 'callNext', counterId: 'c1' }, at: new Date(zonedInstant(DAY, '10:00', 'Asia/Shanghai')).toISOString() })).toThrow(
      expect.objectContaining({ code: 'forbidden_for_role' }),
    );
  });
});
