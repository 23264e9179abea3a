import { createHmac } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLERK_PROOF_FIELD, clerkMutationMessage, clerkSessionKeyLabel, DEVICE_PROOF_FIELD, deviceMutationMessage, type Mutation } from '@hall/shared';
import { openClerkSession } from '../clerk/session';
import { StationCore } from '../core';
import { testCatalogue } from '../testing/hall';
import { DeviceProver } from './deviceProof';

const DEVICE_KEY = Buffer.alloc(32, 7);
const CLERK_KEY = Buffer.alloc(32, 1);
const hmac = (key: Buffer, message: string) => createHmac('sha256', key).update(message).digest('base64url');

function counter(): StationCore {
  const core = StationCore.open(join(mkdtempSync(join(tmpdir(), 'device-proof-')), 'station.db'), { deviceId: 'counter-c1', hallId: 'hall-1', role: 'counter', counterId: 'c1' });
  core.store.replaceCatalogue(testCatalogue());
  return core;
}

const lastMade = (core: StationCore): Mutation => {
  const own = core.store.meshVector()[0]!;
  return core.store.meshMutationsAfter(own.deviceId, own.epoch, 0, 100).at(-1)!;
};

describe('the device proof a station puts on its mutations', () => {
  it('proves each mutation with the device key, over the payload with the clerk proof, and the clerk proof still holds', () => {
    const core = counter();
    core.deviceProver = new DeviceProver({ keyId: 'dk-1', key: DEVICE_KEY.toString('base64url') });
    const session = openClerkSession(core, { id: 'ck-1', secret: CLERK_KEY }, { staffId: 'staff-1', counterId: 'c1' });
    core.counterCommand('openCounter');
    const made = lastMade(core);
    // What the hall mesh carries and a peer relays: the stored mutation, both proofs in it.
    expect(made.payload[DEVICE_PROOF_FIELD]).toEqual({ keyId: 'dk-1', mac: hmac(DEVICE_KEY, deviceMutationMessage(made)) });
    const clerkProof = made.payload[CLERK_PROOF_FIELD] as { mac: string };
    const sessionKey = createHmac('sha256', CLERK_KEY).update(clerkSessionKeyLabel(session.facts.session)).digest();
    expect(clerkProof.mac).toBe(hmac(sessionKey, clerkMutationMessage(made)));
    // Any change to what was made breaks the device proof.
    const changed = { ...made, payload: { ...made.payload, counterId: 'c2' } };
    expect(hmac(DEVICE_KEY, deviceMutationMessage(changed))).not.toBe((made.payload[DEVICE_PROOF_FIELD] as { mac: string }).mac);
    core.close();
  });

  it('proves an unconfirmed mutation again when a new epoch renumbers it (the proof names its epoch and seq)', () => {
    const core = counter();
    core.deviceProver = new DeviceProver({ keyId: 'dk-1', key: DEVICE_KEY.toString('base64url') });
    openClerkSession(core, { id: 'ck-1', secret: CLERK_KEY }, { staffId: 'staff-1', counterId: 'c1' });
    core.counterCommand('openCounter');
    core.counterCommand('closeCounter');
    const proofOf = (payload: unknown) => (payload as Record<string, unknown>)[DEVICE_PROOF_FIELD];
    const before = core.store.outbox().map((row) => proofOf(row.payload));
    const epoch = core.store.openNewEpoch();
    const rows = core.store.outbox();
    expect(rows.map((row) => [row.epoch, row.seq])).toEqual([
      [epoch, 1],
      [epoch, 2],
    ]);
    for (const row of rows) {
      const moved = { id: row.id, deviceId: 'counter-c1', epoch: row.epoch, seq: row.seq, type: row.type, hlc: row.hlc, payload: row.payload } as Mutation;
      expect(proofOf(row.payload)).toEqual({ keyId: 'dk-1', mac: hmac(DEVICE_KEY, deviceMutationMessage(moved)) });
    }
    expect(rows.map((row) => proofOf(row.payload))).not.toEqual(before);
    core.close();
  });

  it('makes mutations without a device proof until the station has its key', () => {
    const core = counter();
    openClerkSession(core, { id: 'ck-1', secret: CLERK_KEY }, { staffId: 'staff-1', counterId: 'c1' });
    core.counterCommand('openCounter');
    expect(lastMade(core).payload[DEVICE_PROOF_FIELD]).toBeUndefined();
    expect(lastMade(core).payload[CLERK_PROOF_FIELD]).toBeDefined();
    core.close();
  });
});
