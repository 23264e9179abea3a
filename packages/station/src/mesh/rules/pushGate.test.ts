import { describe, expect, it } from 'vitest';
import { PushGate } from './pushGate';

const BOUND = 2000;

describe('the push gate', () => {
  it('holds while a peer advertised seqs this station lacks, and lets go once it holds them', () => {
    const gate = new PushGate('c1', BOUND);
    const ours = [
      { deviceId: 'c1', epoch: 'e', seq: 4 },
      { deviceId: 'c3', epoch: 'e', seq: 1 },
    ];
    gate.heardAdvert('c3', ours, { vector: [{ deviceId: 'c3', epoch: 'e', seq: 2 }] }, 1000);
    expect(gate.holdMs(ours, 1000)).toBe(BOUND);
    expect(gate.holdMs(ours, 1500)).toBe(BOUND - 500);
    // Anti-entropy brought c3's seq 2: nothing to wait for, before the next advert says so.
    expect(gate.holdMs([ours[0]!, { deviceId: 'c3', epoch: 'e', seq: 2 }], 1600)).toBe(0);
  });

  it('lets go after the bound when the gap is never filled, even as the peer keeps advertising more', () => {
    const gate = new PushGate('c1', BOUND);
    const ours = [{ deviceId: 'c1', epoch: 'e', seq: 4 }];
    gate.heardAdvert('k1', ours, { vector: [{ deviceId: 'k1', epoch: 'e', seq: 1 }] }, 0);
    gate.heardAdvert('k1', ours, { vector: [{ deviceId: 'k1', epoch: 'e', seq: 3 }] }, 1000);
    expect(gate.holdMs(ours, 1999)).toBe(1);
    expect(gate.holdMs(ours, 2000)).toBe(0);
    gate.heardAdvert('k1', ours, { vector: [{ deviceId: 'k1', epoch: 'e', seq: 5 }] }, 3000);
    expect(gate.holdMs(ours, 3000)).toBe(0);
  });

  it('holds again for a new gap once this station had caught up', () => {
    const gate = new PushGate('c1', BOUND);
    gate.heardAdvert('k1', [], { vector: [{ deviceId: 'k1', epoch: 'e', seq: 1 }] }, 0);
    const caughtUp = [{ deviceId: 'k1', epoch: 'e', seq: 1 }];
    gate.heardAdvert('k1', caughtUp, { vector: [{ deviceId: 'k1', epoch: 'e', seq: 2 }] }, 5000);
    expect(gate.holdMs(caughtUp, 5000)).toBe(BOUND);
  });

  it('never holds for its own device, and reads an advert part only for its key range', () => {
    const gate = new PushGate('c1', BOUND);
    const ours = [{ deviceId: 'c1', epoch: 'e2', seq: 1 }];
    // A peer still holds this station's mutations of an epoch it left (restored database).
    gate.heardAdvert('k1', ours, { vector: [{ deviceId: 'c1', epoch: 'e1', seq: 9 }] }, 0);
    expect(gate.holdMs(ours, 0)).toBe(0);
    gate.heardAdvert('k1', ours, { vector: [{ deviceId: 'k1', epoch: 'e', seq: 1 }], upTo: { deviceId: 'k1', epoch: 'e' } }, 0);
    // The second part (after k1/e) says nothing of k1/e: the gap the first part showed stays.
    gate.heardAdvert('k1', ours, { vector: [{ deviceId: 'k2', epoch: 'e', seq: 0 }], after: { deviceId: 'k1', epoch: 'e' } }, 10);
    expect(gate.holdMs(ours, 10)).toBe(BOUND - 10);
    // A whole advert that no longer shows it (the peer's vector fell back under a watermark) closes it.
    gate.heardAdvert('k1', ours, { vector: [] }, 20);
    expect(gate.holdMs(ours, 20)).toBe(0);
  });
});
