import { afterEach, describe, expect, it } from 'vitest';
import type { PtyHarness } from '../testing/ptyHarness';
import { nextEvent, openPtyHarness } from '../testing/ptyHarness';
import type { DeviceError } from '../transport/errors';
import type { IdCardRead } from './types';
import { SamIdCardReader } from './samReader';
import { IdCardSimulator, fillerPhoto } from './simulator';
import { testHmtPermit, testResidentCard } from './testCards';

let harness: PtyHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function setup(): Promise<{ reader: SamIdCardReader; sim: IdCardSimulator; h: PtyHarness }> {
  const h = await openPtyHarness();
  harness = h;
  const sim = new IdCardSimulator(h.device);
  const reader = new SamIdCardReader({ link: h.host, timeoutMs: 300, partialTimeoutMs: 60 });
  sim.start();
  reader.start();
  await Promise.all([h.host.waitOpen(2000), h.device.waitOpen(2000)]);
  return { reader, sim, h };
}

describe('SamIdCardReader ↔ IdCardSimulator over a pty', () => {
  it('reads a resident card with its photo kept opaque, and reports no card when empty', async () => {
    const { reader, sim } = await setup();
    expect(await reader.read()).toBeUndefined();
    const document = testResidentCard();
    sim.placeCard({ document, photo: fillerPhoto(7) });
    const read = await reader.read();
    expect(read?.document).toEqual(document);
    expect(read?.photo.bytes()).toEqual(fillerPhoto(7));
    expect(reader.health).toMatchObject({ level: 'ok', connected: true });
    // The card stays on the reader: it no longer answers "find", a second read still works.
    expect((await reader.read())?.document).toEqual(document);
    sim.removeCard();
    expect(await reader.read()).toBeUndefined();
  });

  it('polls: one card event per placement, removed when lifted', async () => {
    const { reader, sim } = await setup();
    const cards: IdCardRead[] = [];
    let removed = 0;
    reader.on('card', (read) => cards.push(read));
    reader.on('removed', () => removed++);
    reader.startPolling(20);
    sim.placeCard({ document: testResidentCard() });
    await nextEvent(reader, 'card');
    // Let several polls pass while the card lies there.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(cards.length).toBe(1);
    sim.removeCard();
    await nextEvent(reader, 'removed');
    sim.placeCard({ document: testHmtPermit() });
    const [second] = await nextEvent<[IdCardRead]>(reader, 'card');
    expect(second.document.kind).toBe('hmt-residence-permit');
    expect(cards.length).toBe(2);
    expect(removed).toBe(1);
    reader.stopPolling();
  });

  it.each(['corrupt', 'garbage-only', 'truncated', 'silence'] as const)(
    'a %s reply gives a clear error and the next read works',
    async (fault) => {
      const { reader, sim } = await setup();
      sim.placeCard({ document: testResidentCard() });
      const errors: DeviceError[] = [];
      reader.on('error', (e) => errors.push(e));
      sim.injectFault(fault);
      await expect(reader.read()).rejects.toThrow(/find card: no reply within 300 ms/);
      if (fault !== 'silence') expect(errors.map((e) => e.code).join()).toMatch(/frame-(checksum|junk|truncated)/);
      const read = await reader.read();
      expect(read?.document.kind).toBe('resident');
    },
  );

  it('skips junk before a reply without failing the read', async () => {
    const { reader, sim } = await setup();
    sim.placeCard({ document: testResidentCard() });
    sim.injectFault('garbage-prefix', 'garbage-prefix', 'garbage-prefix');
    expect((await reader.read())?.document.kind).toBe('resident');
  });

  it('survives unplug and replug without being recreated', async () => {
    const { reader, sim, h } = await setup();
    sim.placeCard({ document: testResidentCard() });
    const offline = nextEvent(reader, 'health');
    await h.unplug();
    expect((await offline)[0]).toMatchObject({ level: 'offline', connected: false });
    await expect(reader.read()).rejects.toThrow(/not connected/);
    await h.replug();
    expect(reader.health.connected).toBe(true);
    expect((await reader.read())?.document.kind).toBe('resident');
  });

  it('rejects a card whose ID number fails the check digit', async () => {
    const { reader, sim } = await setup();
    const good = testResidentCard();
    const bad = good.idNumber.slice(0, 17) + (good.idNumber[17] === '1' ? '2' : '1');
    sim.placeCard({ document: { ...good, idNumber: bad } });
    await expect(reader.read()).rejects.toThrow(/card text rejected: ID number check digit/);
  });
});
