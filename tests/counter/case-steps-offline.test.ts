import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StationRuntime } from '@hall/station';
import { makeTestIdNumber, maskName, normaliseIdNumber, type Case } from '@hall/shared';
import { testResidentCard } from '@hall/devices/testing';
import { readCitizenKey } from '@hall/station';
import { FIXTURE_PASSWORD, fixtureHall } from '../../apps/server/src/testing/fixture';
import { startHallCentral, type HallCentral } from '../e2e/harness/central';
import { createOfficer, type Officer } from '../e2e/harness/backOffice';
import { canIssue, enrolledConfig, FAST_SYNC, startPlainStation, waitUntil } from '../e2e/harness/stations';
import { startCounterStation, type CounterStation } from '../../apps/counter/src/main/station';

const hall = fixtureHall('t1');

describe('counter case steps while the central API is down', () => {
  let central: HallCentral;
  let kiosk: StationRuntime;
  let counter: CounterStation;
  let officer: Officer;
  let citizenKey: string;

  beforeAll(async () => {
    central = await startHallCentral({ hall, manager: { login: 't1-manager', password: FIXTURE_PASSWORD } });
    kiosk = await startPlainStation(central, { deviceId: 'steps-kiosk', role: 'kiosk' });
    const config = await enrolledConfig(central, { deviceId: 'steps-counter', role: 'counter', counterId: 't1-c1' });
    counter = await startCounterStation({ ...config, devices: { ticketPrinter: { kind: 'simulated' }, idCardReader: { kind: 'simulated' } } }, { sync: FAST_SYNC });
    const key = readCitizenKey(config);
    if (!key) throw new Error('the central API handed the counter no citizen-hash key');
    citizenKey = key;
    officer = await createOfficer(central, { login: 't1-manager', password: FIXTURE_PASSWORD }, { id: 't1-officer-x', departmentId: 't1-dept', password: FIXTURE_PASSWORD });
  }, 60_000);

  afterAll(async () => {
    await counter?.stop();
    await kiosk?.stop();
    await central?.close();
  });

  /** A kiosk case of a citizen with an ID card, accepted at counter 1 online. */
  async function acceptedCase(sequence: number): Promise<{ caseId: string; number: string; idNumber: string }> {
    const idNumber = makeTestIdNumber({ sequence });
    const citizen = { maskedName: maskName('陈小明'), idHash: createHmac('sha256', citizenKey).update(normaliseIdNumber(idNumber)).digest('hex') };
    const ticket = await kiosk.handlers['ticket.issue']!({ serviceIds: ['t1-svc-1'], kind: 'walk_in' });
    const submitted = kiosk.core.submitForm({ serviceId: 't1-svc-1', ticketId: ticket.id, answers: { 'q-who': ['self'] }, formId: 't1-form', formVersion: 1, citizen, values: {} });
    const { role, runtime } = counter;
    await waitUntil('counter has the case', () => runtime.core.store.live.cases[submitted.id] !== undefined, 20_000);
    runtime.core.ticketCommand('callSpecific', ticket.id);
    role.startServing(ticket.id);
    role.checkMaterial(submitted.id, 'm-id', true);
    role.checkMaterial(submitted.id, 'm-hukou', true);
    const { case: accepted } = await role.accept(submitted.id);
    await role.setDelivery(submitted.id, 'counter');
    role.finish(ticket.id);
    return { caseId: submitted.id, number: accepted.caseNumber ?? '', idNumber };
  }

  const centralCase = async (caseId: string) => (await officer.get(caseId)) as unknown as Case;

  it('records a supplement and hands a result to a proxy offline; after reconnecting the server has each step once', async () => {
    await waitUntil('kiosk numbers', () => canIssue(kiosk, 't1-qa'), 20_000);
    const { role, runtime } = counter;
    await role.login('t1-clerk', FIXTURE_PASSWORD);
    const asked = await acceptedCase(11);
    const done = await acceptedCase(12);
    await waitUntil('acceptances central', () => runtime.core.store.outboxCounts().pending === 0, 20_000);

    // The back office asks for a supplement on one and approves and completes the other.
    await officer.act(asked.caseId, 'supplement', { items: [{ materialId: 'm-hukou', note: '户口簿复印件不清晰' }] });
    await officer.act(done.caseId, 'approve');
    await officer.act(done.caseId, 'complete');
    await waitUntil('counter pulled the back office steps', () => {
      const live = runtime.core.store.live.cases;
      return live[asked.caseId]?.status === 'supplement_requested' && live[done.caseId]?.status === 'completed';
    }, 20_000);

    await central.stop();
    const steps = role.caseSteps;
    // Found by the printed number, with the open request and its deadline.
    const [found] = steps.find({ number: asked.number });
    expect(found).toMatchObject({ caseId: asked.caseId, status: 'supplement_requested', stage: 'supplement', supplements: [{ items: [{ materialId: 'm-hukou', note: '户口簿复印件不清晰' }] }] });
    expect(found?.dueAt).toBe(found?.supplements[0]?.dueAt);
    expect(steps.recordSupplement(asked.caseId, ['m-hukou'], '补交清晰复印件')).toMatchObject({ status: 'accepted', stage: 'review' });

    // Found by the applicant's ID number; the card on the reader is someone else's: a proxy, confirmed by the clerk.
    expect(steps.find({ idNumber: done.idNumber }).map((c) => c.caseId)).toContain(done.caseId);
    const reader = counter.devices.simulators.idCard;
    if (!reader) throw new Error('no simulated ID-card reader');
    const proxyId = makeTestIdNumber({ sequence: 99 });
    reader.placeCard({ document: testResidentCard({ name: '王代领', idNumber: proxyId }) });
    await expect(steps.handOver({ caseId: done.caseId, method: 'counter', proxy: false })).rejects.toMatchObject({ code: 'not_the_applicant' });
    const handed = await steps.handOver({ caseId: done.caseId, method: 'counter', proxy: true });
    expect(handed.case).toMatchObject({ status: 'delivered', handover: { method: 'counter', maskedName: '王*领', proxy: true } });
    expect(JSON.stringify(runtime.core.store.outbox())).not.toContain(proxyId);
    expect(runtime.core.store.outboxCounts().pending).toBe(2);

    await central.start();
    await waitUntil('counter outbox drained', () => runtime.core.store.outboxCounts().pending === 0, 20_000);
    expect(runtime.core.store.outboxCounts().rejected).toBe(0);
    const supplemented = await centralCase(asked.caseId);
    expect(supplemented).toMatchObject({ status: 'accepted', supplements: [{ receivedAtCounterId: 't1-c1', receivedByStaffId: 't1-clerk' }] });
    expect(supplemented.timeline.filter((s) => s.kind === 'supplement_received')).toHaveLength(1);
    expect(supplemented.materials.find((m) => m.materialId === 'm-hukou')).toMatchObject({ received: true });
    const delivered = await centralCase(done.caseId);
    expect(delivered).toMatchObject({ status: 'delivered', handover: { method: 'counter', counterId: 't1-c1', collection: { proxy: true, maskedName: '王*领', idHash: role.idHash(proxyId) } } });
    expect(delivered.timeline.filter((s) => s.kind === 'delivered')).toHaveLength(1);
  }, 90_000);
});
