import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  Board8aController,
  IdCardSimulator,
  LockBusSimulator,
  SamIdCardReader,
  openPtyHarness,
  waitFor,
} from '@hall/devices';
import { testResidentCard } from '@hall/devices/testing';
import { makeTestIdNumber, type LockerLayout } from '@hall/shared';
import { LockerStation } from './station';
import { TestCodeIssuer } from './testing';
import { hmacHex } from './crypto';

const layout: LockerLayout = { compartments: [{ id: 'A01', board: 1, lock: 1, size: 'small' }, { id: 'A02', board: 1, lock: 2, size: 'small' }] };
const DAY = 24 * 3600 * 1000;
let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

/** A locker with lock boards and an ID-card reader, each on its own pty pair. */
async function rig(now: () => number = Date.now) {
  const bus = await openPtyHarness({ baudRate: 9600 });
  const cardPort = await openPtyHarness();
  const sim = new LockBusSimulator(bus.device, { protocol: { kind: '8a80' }, boards: { 1: 24 } });
  const controller = new Board8aController({ link: bus.host, timeoutMs: 300, openGapMs: 1 });
  const cardSim = new IdCardSimulator(cardPort.device);
  const reader = new SamIdCardReader({ link: cardPort.host, timeoutMs: 1000 });
  for (const d of [sim, controller, cardSim, reader]) d.start();
  await Promise.all([bus.host.waitOpen(2000), bus.device.waitOpen(2000), cardPort.host.waitOpen(2000), cardPort.device.waitOpen(2000)]);
  const dir = mkdtempSync(join(tmpdir(), 'locker-fallback-'));
  const issuer = new TestCodeIssuer();
  const station = new LockerStation({ file: join(dir, 'locker.sqlite'), hallId: 'h1', layout, controller, idCardReader: reader, doorPollMs: 20, cardWaitMs: 1500, now });
  station.keys.update(issuer.keySet(Date.now()), Date.now());
  await station.start();
  cleanup.push(async () => {
    await station.stop();
    await reader.close();
    await controller.close();
    await bus.close();
    await cardPort.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { sim, cardSim, station, issuer };
}

/** The pickup code travels only in the outbox event (for the SMS); tests read it there. */
function pickupCodeOf(station: LockerStation, parcelId: string): string {
  const event = station.pendingEvents().find((e) => e.type === 'deposited' && e.parcelId === parcelId);
  if (event?.type !== 'deposited') throw new Error('no deposited event');
  return event.pickupCode;
}

async function depositFor(r: Awaited<ReturnType<typeof rig>>, idNumber: string) {
  const parcelId = randomUUID();
  await r.station.scan(r.issuer.deposit({ parcelId, hallId: 'h1', caseNumber: 'C-1', size: 'small', idNumber, name: '王五' }));
  r.sim.closeDoor(1, 1);
  await waitFor(() => r.station.parcel(parcelId)?.status === 'deposited', 3000, 'deposited');
  return parcelId;
}

describe('fallback pickup: pickup code + ID card', () => {
  it('opens only with the right code and the right card, and the pickup code is stored only as a keyed hash', async () => {
    const r = await rig();
    const idNumber = makeTestIdNumber({ sequence: 41 });
    const parcelId = await depositFor(r, idNumber);
    const code = pickupCodeOf(r.station, parcelId);
    const stored = r.station.db.prepare('SELECT pickup_code_hash FROM parcels WHERE id = ?').get(parcelId) as { pickup_code_hash: string };
    expect(stored.pickup_code_hash).not.toContain(code);
    expect(stored.pickup_code_hash).not.toBe(hmacHex(Buffer.alloc(32), `${parcelId}:${code}`));

    // No card on the reader.
    expect(await r.station.pickupWithCard(code)).toMatchObject({ kind: 'refused', reason: 'no_id_card' });
    // Someone else's card with the right code.
    r.cardSim.placeCard({ document: testResidentCard({ idNumber: makeTestIdNumber({ sequence: 42 }) }) });
    expect(await r.station.pickupWithCard(code)).toMatchObject({ kind: 'refused', reason: 'wrong_pickup_code' });
    r.cardSim.removeCard();
    r.cardSim.placeCard({ document: testResidentCard({ idNumber }) });
    const wrong = code === '00000000' ? '00000001' : '00000000';
    expect(await r.station.pickupWithCard(wrong)).toMatchObject({ kind: 'refused', reason: 'wrong_pickup_code' });
    expect(r.sim.isOpen(1, 1)).toBe(false);
    const result = await r.station.pickupWithCard(code);
    expect(result).toMatchObject({ kind: 'pickup', items: [{ parcelId, compartmentId: 'A01', status: 'pickup_open' }] });
    r.sim.closeDoor(1, 1);
    await waitFor(() => r.station.parcel(parcelId)?.status === 'picked_up', 3000, 'picked up');
    expect(r.station.pendingEvents().find((e) => e.type === 'picked_up')).toMatchObject({ by: 'pickup_code_and_id_card' });
    // The code opened once.
    expect(await r.station.pickupWithCard(code)).toMatchObject({ kind: 'refused', reason: 'wrong_pickup_code' });
  });

  it('refuses a code that is not eight digits without reading a card', async () => {
    const r = await rig();
    expect(await r.station.pickupWithCard('12ab')).toMatchObject({ kind: 'refused', reason: 'wrong_pickup_code' });
  });
});

describe('unclaimed parcels', () => {
  it('after six months a parcel is listed as unclaimed, and its citizen can still collect it until staff take it back', async () => {
    let offset = 0;
    const r = await rig(() => Date.now() + offset);
    const idNumber = makeTestIdNumber({ sequence: 43 });
    const parcelId = await depositFor(r, idNumber);
    expect(r.station.status().unclaimed).toEqual([]);
    offset = 183 * DAY;
    expect(r.station.status().unclaimed.map((p) => p.parcelId)).toEqual([parcelId]);
    // Keys of the test issuer are valid 90 days; a fresh set as the server would publish then.
    r.station.keys.update(r.issuer.keySet(Date.now() + offset), Date.now() + offset);
    expect(await r.station.scan(r.issuer.residence(idNumber, { issuedAtMs: Date.now() + offset }))).toMatchObject({ kind: 'pickup' });
    r.sim.closeDoor(1, 1);
    await waitFor(() => r.station.parcel(parcelId)?.status === 'picked_up', 3000, 'picked up late');
  });

  it('returns with a staff code, recording who', async () => {
    let offset = 0;
    const r = await rig(() => Date.now() + offset);
    const parcelId = await depositFor(r, makeTestIdNumber({ sequence: 44 }));
    offset = 183 * DAY;
    r.station.keys.update(r.issuer.keySet(Date.now() + offset), Date.now() + offset);
    const staffCode = r.issuer.sign({ kind: 'staff', staffId: 'clerk-7', hallId: 'h1', purpose: 'return_unclaimed' }, { issuedAtMs: Date.now() + offset, lifetimeSeconds: 600 });
    expect(await r.station.scan(staffCode)).toMatchObject({ kind: 'return', items: [{ parcelId, status: 'return_open' }] });
    r.sim.closeDoor(1, 1);
    await waitFor(() => r.station.parcel(parcelId)?.status === 'returned', 3000, 'returned');
    expect(r.station.audit.rows().filter((a) => a.parcelId === parcelId && a.action === 'opened').map((a) => a.actor)).toEqual(['clerk:deposit-code', 'staff:clerk-7']);
    expect(r.station.pendingEvents().find((e) => e.type === 'returned')).toMatchObject({ staffId: 'clerk-7' });
  });
});
