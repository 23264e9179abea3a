import { createSocket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Ticket } from '@hall/shared';
import {
  decodeLanMessage,
  encodeLanMessage,
  LAN_PROTOCOL_VERSION,
  parseLanKey,
  ReplayGuard,
  type LanCall,
  type LanPayload,
} from './message';
import { startLanCallReceiver, type LanCallReceiver } from './receiver';
import { startLanCallSender, type LanCallSender } from './sender';

const keyText = randomBytes(32).toString('hex');
const key = parseLanKey(keyText);
const T0 = Date.parse('2026-03-02T09:00:00.000Z');

const call: LanCall = {
  ticketId: 't-1',
  ticketNumber: 'A023',
  counterId: 'c3',
  counterNumber: '3',
  kind: 'call',
  calledAt: new Date(T0).toISOString(),
  callCount: 1,
};

function payload(overrides: Partial<LanPayload> = {}): LanPayload {
  return { v: LAN_PROTOCOL_VERSION, hallId: 'hall-1', senderId: 'counter-3', messageId: 'm-00000001', sentAt: T0, body: { type: 'call', call }, ...overrides };
}

describe('LAN message authentication', () => {
  it('accepts a message signed with the hall key', () => {
    const decoded = decodeLanMessage(key, encodeLanMessage(key, payload()), 'hall-1');
    expect(decoded).toEqual({ ok: true, payload: payload() });
  });

  it('refuses a message signed with another key', () => {
    const forged = encodeLanMessage(parseLanKey(randomBytes(32).toString('hex')), payload());
    expect(decodeLanMessage(key, forged, 'hall-1')).toMatchObject({ ok: false, refusal: 'bad_mac' });
  });

  it('refuses a signed message whose payload was altered (another counter number)', () => {
    const envelope = JSON.parse(encodeLanMessage(key, payload()).toString()) as { p: string; m: string };
    const altered = { p: envelope.p.replace('"counterNumber":"3"', '"counterNumber":"9"'), m: envelope.m };
    expect(altered.p).not.toBe(envelope.p);
    expect(decodeLanMessage(key, Buffer.from(JSON.stringify(altered)), 'hall-1')).toMatchObject({ ok: false, refusal: 'bad_mac' });
  });

  it('refuses garbage, unsigned JSON and signed-but-invalid payloads', () => {
    expect(decodeLanMessage(key, Buffer.from('\x00\x01garbage'), 'hall-1')).toMatchObject({ refusal: 'malformed' });
    expect(decodeLanMessage(key, Buffer.from(JSON.stringify(payload())), 'hall-1')).toMatchObject({ refusal: 'malformed' });
    const bad = { ...payload(), body: { type: 'call', call: { ...call, ticketNumber: 'not a number' } } } as unknown as LanPayload;
    expect(decodeLanMessage(key, encodeLanMessage(key, bad), 'hall-1')).toMatchObject({ refusal: 'invalid' });
    expect(decodeLanMessage(key, encodeLanMessage(key, payload({ hallId: 'hall-2' })), 'hall-1')).toMatchObject({ refusal: 'wrong_hall' });
  });

  it('rejects short keys', () => {
    expect(() => parseLanKey('abcd')).toThrow(/at least 32 bytes/);
    expect(parseLanKey(randomBytes(32).toString('base64')).length).toBe(32);
  });
});

describe('replay guard', () => {
  it('refuses a message id seen before and messages outside the window', () => {
    const guard = new ReplayGuard(30_000);
    expect(guard.check('a', T0, T0 + 10)).toBe('ok');
    expect(guard.check('a', T0, T0 + 20)).toBe('replayed');
    expect(guard.check('b', T0 - 31_000, T0)).toBe('stale');
    expect(guard.check('c', T0 + 31_000, T0)).toBe('stale');
  });

  it('forgets ids once they could only be stale anyway', () => {
    const guard = new ReplayGuard(1000);
    for (let i = 0; i < 50; i++) guard.check(`m${i}`, T0 + i * 100, T0 + i * 100);
    expect(guard.size).toBeLessThan(25);
    // A forgotten id is still refused: its timestamp is stale by then.
    expect(guard.check('m0', T0, T0 + 5000)).toBe('stale');
  });
});

describe('LAN feed over real UDP sockets', () => {
  const open: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const o of open.splice(0)) await o.close();
  });

  async function receiver(onCall: (c: LanCall) => void, windowMs = 30_000): Promise<LanCallReceiver> {
    const r = await startLanCallReceiver({ hallId: 'hall-1', key: keyText, bind: '127.0.0.1', port: 0, windowMs, onCall });
    open.push(r);
    return r;
  }

  function waitFor(check: () => boolean): Promise<void> {
    return new Promise((resolve) => {
      const poll = () => (check() ? resolve() : setTimeout(poll, 5));
      poll();
    });
  }

  const ticket = {
    id: 't-9',
    number: 'B007',
    lastCalledAt: '2026-03-02T09:00:05.000+08:00',
    callCount: 2,
    recallCount: 1,
  } as Ticket;

  it('delivers a call from the sender once, though the datagram is sent three times', async () => {
    const calls: LanCall[] = [];
    const r = await receiver((c) => calls.push(c));
    const sender: LanCallSender = await startLanCallSender({
      hallId: 'hall-1',
      senderId: 'counter-2',
      key: keyText,
      peers: [{ host: '127.0.0.1', port: r.port }],
      resendDelaysMs: [5, 10],
    });
    open.push(sender);
    sender.sendCall(ticket, { id: 'c2', number: '2' });
    await waitFor(() => r.stats.refused.replayed === 2);
    expect(calls).toEqual([
      { ticketId: 't-9', ticketNumber: 'B007', counterId: 'c2', counterNumber: '2', kind: 'recall', calledAt: ticket.lastCalledAt, callCount: 2 },
    ]);
    expect(r.stats.accepted).toBe(1);
  });

  it('refuses a captured datagram replayed by another host and one forged without the key', async () => {
    const calls: LanCall[] = [];
    const r = await receiver((c) => calls.push(c));
    const attacker = createSocket('udp4');
    const captured = encodeLanMessage(key, payload({ sentAt: Date.now(), messageId: 'captured-1' }));
    const forged = encodeLanMessage(parseLanKey(randomBytes(32).toString('hex')), payload({ sentAt: Date.now(), messageId: 'forged-01' }));
    for (const datagram of [captured, captured, forged]) {
      await new Promise<void>((resolve) => attacker.send(datagram, r.port, '127.0.0.1', () => resolve()));
    }
    await waitFor(() => r.stats.refused.replayed + r.stats.refused.bad_mac === 2);
    attacker.close();
    expect(calls).toHaveLength(1);
    expect(r.stats.refused).toMatchObject({ replayed: 1, bad_mac: 1 });
  });

  it('reaches a display by UDP broadcast without configured peers', async () => {
    const calls: LanCall[] = [];
    const r = await startLanCallReceiver({ hallId: 'hall-1', key: keyText, bind: '0.0.0.0', port: 0, onCall: (c) => calls.push(c) });
    open.push(r);
    const sender = await startLanCallSender({
      hallId: 'hall-1',
      senderId: 'counter-2',
      key: keyText,
      peers: [],
      broadcast: { address: '127.255.255.255', port: r.port },
      resendDelaysMs: [],
    });
    open.push(sender);
    sender.sendCall(ticket, { id: 'c2', number: '2' });
    await waitFor(() => calls.length === 1);
    expect(calls[0]?.ticketNumber).toBe('B007');
  });
});


describe('LAN feed keyed by the hall key ring (rotation)', () => {
  const meshKey = (kid: string) => ({ kid, key: randomBytes(32) });
  const oldKey = meshKey('lk-old');
  const newKey = meshKey('lk-new');

  it('names the key id in the envelope and opens with any accepted key, never with a retired or foreign one', () => {
    const sealedOld = encodeLanMessage(oldKey, payload());
    expect(JSON.parse(sealedOld.toString()).k).toBe('lk-old');
    expect(decodeLanMessage([newKey, oldKey], sealedOld, 'hall-1')).toMatchObject({ ok: true });
    expect(decodeLanMessage([newKey], sealedOld, 'hall-1')).toMatchObject({ ok: false, refusal: 'bad_mac' });
    // A forger cannot pick a key id to get another key tried.
    const forged = encodeLanMessage({ kid: 'lk-new', key: randomBytes(32) }, payload());
    expect(decodeLanMessage([newKey, oldKey], forged, 'hall-1')).toMatchObject({ ok: false, refusal: 'bad_mac' });
  });

  it('a sender and a receiver following their station rings keep talking across a rotation, and refuse nothing for lack of a key once they have one', async () => {
    let senderRing: { current: typeof oldKey; accepted: (typeof oldKey)[] } | undefined;
    let receiverRing: typeof senderRing;
    const calls: LanCall[] = [];
    const refused: string[] = [];
    const r = await startLanCallReceiver({ hallId: 'hall-1', keys: () => receiverRing, bind: '127.0.0.1', port: 0, onCall: (c) => calls.push(c), onRefused: (why) => refused.push(why) });
    const sender = await startLanCallSender({ hallId: 'hall-1', senderId: 'counter-2', keys: () => senderRing, peers: [{ host: '127.0.0.1', port: r.port }], resendDelaysMs: [] });
    const waitFor = (check: () => boolean) =>
      new Promise<void>((resolve) => {
        const poll = () => (check() ? resolve() : setTimeout(poll, 5));
        poll();
      });
    const ticket = (n: number) => ({ id: `t-${n}`, number: `B00${n}`, lastCalledAt: new Date().toISOString(), callCount: 1, recallCount: 0 }) as Ticket;
    try {
      // No ring yet on the counter: nothing is sent (counted), nothing crashes.
      sender.sendCall(ticket(1), { id: 'c2', number: '2' });
      expect(sender.failures).toBe(1);
      senderRing = { current: oldKey, accepted: [oldKey] };
      // The display has no ring yet: refused as no_key.
      sender.sendCall(ticket(2), { id: 'c2', number: '2' });
      await waitFor(() => refused.length === 1);
      expect(refused).toEqual(['no_key']);
      receiverRing = { current: oldKey, accepted: [oldKey] };
      sender.sendCall(ticket(3), { id: 'c2', number: '2' });
      await waitFor(() => calls.length === 1);
      // Rotation: the display got the new ring first, the counter still seals with the old key (grace period).
      receiverRing = { current: newKey, accepted: [newKey, oldKey] };
      sender.sendCall(ticket(4), { id: 'c2', number: '2' });
      await waitFor(() => calls.length === 2);
      senderRing = { current: newKey, accepted: [newKey, oldKey] };
      sender.sendCall(ticket(5), { id: 'c2', number: '2' });
      await waitFor(() => calls.length === 3);
      // After the grace period the old key is gone from the ring: a message under it is refused.
      receiverRing = { current: newKey, accepted: [newKey] };
      senderRing = { current: oldKey, accepted: [oldKey] };
      sender.sendCall(ticket(6), { id: 'c2', number: '2' });
      await waitFor(() => refused.length === 2);
      expect(refused).toEqual(['no_key', 'bad_mac']);
      expect(calls.map((c) => c.ticketNumber)).toEqual(['B003', 'B004', 'B005']);
    } finally {
      await sender.close();
      await r.close();
    }
  });
});
