import { describe, expect, it } from 'vitest';
import { answerWant, collectMutations, missingAtPeer, missingHere } from './antiEntropy';
import { MemoryMeshStore } from '../testing';

const ours = [
  { deviceId: 'a', epoch: 'e1', seq: 5 },
  { deviceId: 'b', epoch: 'e1', seq: 2 },
  { deviceId: 'c', epoch: 'e1', seq: 9 },
];

describe('anti-entropy', () => {
  it('sends a peer what it holds less of, or lacks within the key range its advert part speaks for', () => {
    expect(missingAtPeer(ours, { vector: [{ deviceId: 'a', epoch: 'e1', seq: 3 }] })).toEqual([
      { deviceId: 'a', epoch: 'e1', after: 3 },
      { deviceId: 'b', epoch: 'e1', after: 0 },
      { deviceId: 'c', epoch: 'e1', after: 0 },
    ]);
    // A part covering (a/e1, b/e1]: c is in another part, so its absence here says nothing.
    expect(missingAtPeer(ours, { vector: [], after: { deviceId: 'a', epoch: 'e1' }, upTo: { deviceId: 'b', epoch: 'e1' } })).toEqual([
      { deviceId: 'b', epoch: 'e1', after: 0 },
    ]);
  });

  it('wants what a peer holds more of, and answers a want with what follows', () => {
    expect(missingHere(ours, [{ deviceId: 'b', epoch: 'e1', seq: 4 }, { deviceId: 'd', epoch: 'e2', seq: 1 }, { deviceId: 'c', epoch: 'e1', seq: 9 }])).toEqual([
      { deviceId: 'b', epoch: 'e1', seq: 2 },
      { deviceId: 'd', epoch: 'e2', seq: 0 },
    ]);
    expect(answerWant(ours, [{ deviceId: 'c', epoch: 'e1', seq: 7 }, { deviceId: 'b', epoch: 'e1', seq: 2 }])).toEqual([{ deviceId: 'c', epoch: 'e1', after: 7 }]);
  });

  it('bounds a reply and rotates where it starts, so one backlog does not starve the others', () => {
    const x = new MemoryMeshStore('x');
    const y = new MemoryMeshStore('y');
    for (let i = 0; i < 10; i++) x.commit();
    for (let i = 0; i < 10; i++) y.commit();
    const store = new MemoryMeshStore('z');
    store.receivePeerMutations([...x.meshMutationsAfter('x', x.epoch, 0, 100), ...y.meshMutationsAfter('y', y.epoch, 0, 100)]);
    const requests = [
      { deviceId: 'x', epoch: x.epoch, after: 0 },
      { deviceId: 'y', epoch: y.epoch, after: 0 },
    ];
    expect(collectMutations(store, requests, 4, 0).map((m) => m.deviceId)).toEqual(['x', 'x', 'x', 'x']);
    expect(collectMutations(store, requests, 4, 1).map((m) => m.deviceId)).toEqual(['y', 'y', 'y', 'y']);
    expect(collectMutations(store, requests, 15, 0)).toHaveLength(15);
  });
});
