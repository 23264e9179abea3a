import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { IdCardSimulator, SamIdCardReader, nextEvent, openPtyHarness } from '@hall/devices';
import { testResidentCard } from '@hall/devices/testing';
import { makeTestIdNumber, zonedInstant } from '@hall/shared';
import { StationCore } from '../../core';
import { testCatalogue } from '../../testing/hall';
import { openKioskDb } from './kioskDb';
import { KioskRole } from './role';

let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

/** A kiosk role with a real SAM reader talking to the card simulator over a pty. */
async function rig() {
  const port = await openPtyHarness();
  const sim = new IdCardSimulator(port.device);
  const reader = new SamIdCardReader({ link: port.host, timeoutMs: 1000 });
  sim.start();
  reader.start();
  await Promise.all([port.host.waitOpen(2000), port.device.waitOpen(2000)]);
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-card-'));
  const now = () => zonedInstant('2026-11-23', '10:00', 'Asia/Shanghai');
  const core = StationCore.open(join(dir, 'station.db'), { deviceId: 'k1', hallId: 'hall-1', role: 'kiosk' }, now);
  core.guardOrigin();
  core.store.replaceCatalogue(testCatalogue());
  const role = new KioskRole({
    db: openKioskDb(':memory:'),
    core,
    emit: () => undefined,
    idHashKey: 'test-key',
    followUrlBase: 'https://hall.example/follow',
    enforceOpeningHours: false,
    idCardReader: reader,
    now,
  });
  cleanup.push(async () => {
    role.close();
    await reader.close();
    await port.close();
    core.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const handlers = role.handlers();
  const cardOnReader = () => handlers['kiosk.cardOnReader']?.({}) as ReturnType<typeof role.vault.add> | null;
  const screen = (params: { screen: string; sessionEnded?: true }) => handlers['kiosk.screen']?.(params);
  return { sim, reader, role, cardOnReader, screen };
}

describe('a card already lying on the reader when the identify screen opens', () => {
  it('is offered while it lies there, forgotten when lifted', async () => {
    const { sim, reader, role, cardOnReader } = await rig();
    reader.startPolling(20);
    expect(cardOnReader()).toBeNull();
    const idNumber = makeTestIdNumber({ birthDate: '1950-05-06', sequence: 12 });
    sim.placeCard({ document: testResidentCard({ idNumber }) });
    await nextEvent(reader, 'card');
    // Asked after the reader's one `card` event: the same citizen, behind a fresh handle each time.
    const first = cardOnReader();
    const second = cardOnReader();
    expect(first).toMatchObject({ source: 'idcard', maskedIdNumber: `${idNumber.slice(0, 4)}**********${idNumber.slice(14)}` });
    expect(JSON.stringify(first)).not.toContain(idNumber);
    expect(second?.handle).not.toBe(first?.handle);
    expect(role.vault.get(first?.handle ?? '')?.record.idNumber).toBe(idNumber);
    sim.removeCard();
    await nextEvent(reader, 'removed');
    expect(cardOnReader()).toBeNull();
  });

  it('is not offered to the next citizen after the session ends (完成 or the idle reset), until placed again', async () => {
    const { sim, reader, cardOnReader, screen } = await rig();
    reader.startPolling(20);
    sim.placeCard({ document: testResidentCard() });
    await nextEvent(reader, 'card');
    // A voluntary return home keeps it: the same citizen is still there with the card.
    screen({ screen: 'home' });
    expect(cardOnReader()).not.toBeNull();
    screen({ screen: 'home', sessionEnded: true });
    expect(cardOnReader()).toBeNull();
    sim.removeCard();
    await nextEvent(reader, 'removed');
    sim.placeCard({ document: testResidentCard() });
    await nextEvent(reader, 'card');
    expect(cardOnReader()).not.toBeNull();
  });
});
