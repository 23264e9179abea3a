import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { Board8aController, LockBusSimulator, openPtyHarness, waitFor, type PtyHarness } from '@hall/devices';
import { makeTestIdNumber, type LockerLayout } from '@hall/shared';
import { delegatedDepositCodes } from '../counter/depositDelegation';
import { LockerStation, type LockerStationOptions } from './station';
import { TestCodeIssuer } from './testing';

const HALL = 'h1';
let sequence = 0;
const newCitizen = () => makeTestIdNumber({ sequence: ++sequence });
const layout: LockerLayout = {
  compartments: [
    { id: 'A01', board: 1, lock: 1, size: 'small' },
    { id: 'A02', board: 1, lock: 2, size: 'small' },
    { id: 'A03', board: 1, lock: 3, size: 'medium' },
    { id: 'A04', board: 1, lock: 4, size: 'large' },
  ],
};

interface Rig {
  sim: LockBusSimulator;
  controller: Board8aController;
  file: string;
  issuer: TestCodeIssuer;
  open(extra?: Partial<LockerStationOptions>): LockerStation;
}

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

async function rig(): Promise<Rig> {
  const h: PtyHarness = await openPtyHarness({ baudRate: 9600 });
  const sim = new LockBusSimulator(h.device, { protocol: { kind: '8a80' }, boards: { 1: 24 } });
  const controller = new Board8aController({ link: h.host, timeoutMs: 300, openGapMs: 1 });
  sim.start();
  controller.start();
  await Promise.all([h.host.waitOpen(2000), h.device.waitOpen(2000)]);
  const dir = mkdtempSync(join(tmpdir(), 'locker-'));
  const stations: LockerStation[] = [];
  cleanup.push(async () => {
    for (const s of stations) await s.stop().catch(() => undefined);
    await controller.close();
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const issuer = new TestCodeIssuer();
  const file = join(dir, 'locker.sqlite');
  return {
    sim,
    controller,
    file,
    issuer,
    open(extra = {}) {
      const station = new LockerStation({ file, hallId: HALL, layout, controller, doorPollMs: 20, ...extra });
      stations.push(station);
      station.keys.update(issuer.keySet(), Date.now());
      return station;
    },
  };
}

function depositCode(issuer: TestCodeIssuer, idNumber: string, size: 'small' | 'medium' | 'large' = 'small') {
  const parcelId = randomUUID();
  return { parcelId, code: issuer.deposit({ parcelId, hallId: HALL, caseNumber: `C-${parcelId.slice(0, 6)}`, size, idNumber, name: '张三丰' }) };
}

async function depositAndClose(r: Rig, station: LockerStation, idNumber: string, size: 'small' | 'medium' | 'large' = 'small') {
  const { parcelId, code } = depositCode(r.issuer, idNumber, size);
  const result = await station.scan(code);
  expect(result.kind).toBe('deposit');
  const compartment = layout.compartments.find((c) => c.id === (result.kind === 'deposit' ? result.items[0]?.compartmentId : ''))!;
  expect(r.sim.isOpen(compartment.board, compartment.lock)).toBe(true);
  r.sim.closeDoor(compartment.board, compartment.lock);
  await waitFor(() => station.parcel(parcelId)?.status === 'deposited', 3000, 'deposit recorded');
  return { parcelId, compartment };
}

describe('locker station over a simulated 8A/80 bus', () => {
  it('deposits into the smallest fitting compartment, then a residence code opens it once', async () => {
    const r = await rig();
    const station = r.open();
    await station.start();
    const idNumber = newCitizen();
    const { parcelId, compartment } = await depositAndClose(r, station, idNumber, 'medium');
    expect(compartment.id).toBe('A03');
    const deposited = station.pendingEvents().find((e) => e.type === 'deposited');
    expect(deposited).toMatchObject({ parcelId, compartmentId: 'A03' });

    const code = r.issuer.residence(idNumber);
    const pickup = await station.scan(code);
    expect(pickup).toMatchObject({ kind: 'pickup', items: [{ parcelId, compartmentId: 'A03', status: 'pickup_open' }] });
    expect(r.sim.isOpen(1, 3)).toBe(true);
    r.sim.closeDoor(1, 3);
    await waitFor(() => station.parcel(parcelId)?.status === 'picked_up', 3000, 'pickup recorded');

    // The same code again: replayed. A fresh code: nothing left here.
    expect(await station.scan(code)).toMatchObject({ kind: 'refused', reason: 'replayed' });
    expect(await station.scan(r.issuer.residence(idNumber))).toMatchObject({ kind: 'refused', reason: 'no_parcel' });
    expect(r.sim.isOpen(1, 3)).toBe(false);
    const actions = station.audit.rows().map((a) => a.action);
    expect(actions).toEqual(['open_intent', 'opened', 'closed', 'open_intent', 'opened', 'closed']);
    expect(station.audit.verifyChain()).toBeUndefined();
  });

  it('refuses expired, not-yet-valid, forged, unknown-key, wrong-hall and malformed codes with messages', async () => {
    const r = await rig();
    const station = r.open({ rateLimit: { maxFailures: 100, windowMs: 60_000, lockoutMs: 60_000 } });
    await station.start();
    const idNumber = newCitizen();
    await depositAndClose(r, station, idNumber);
    const expired = r.issuer.residence(idNumber, { issuedAtMs: Date.now() - 10 * 60_000, lifetimeSeconds: 120 });
    const future = r.issuer.residence(idNumber, { issuedAtMs: Date.now() + 5 * 60_000 });
    const stranger = new TestCodeIssuer();
    const forged = stranger.sign({ kind: 'residence', subject: r.issuer.subjectOf(idNumber) }, { key: { ...stranger.keys[0]!, kid: r.issuer.keys[0]!.kid } });
    const unknown = stranger.residence(idNumber);
    const otherHall = r.issuer.staff('s1', 'other-hall');
    const cases: [string, string][] = [
      [expired, 'expired'],
      [future, 'not_yet_valid'],
      [forged, 'forged'],
      [unknown, 'unknown_key'],
      ['HRC1.not-a-code', 'malformed'],
      ['hello', 'malformed'],
      ['HRC9.AAAA', 'unsupported_version'],
    ];
    for (const [code, reason] of cases) {
      const result = await station.scan(code);
      expect(result, reason).toMatchObject({ kind: 'refused', reason });
      if (result.kind === 'refused') expect(result.message.zh.length).toBeGreaterThan(3);
    }
    expect(await station.scan(otherHall)).toMatchObject({ kind: 'refused', reason: 'wrong_hall' });
    expect(station.audit.rows().filter((a) => a.action === 'open_intent')).toHaveLength(1);
  });

  it('locks pickup out after repeated failures, and the lockout survives a restart', async () => {
    const r = await rig();
    const station = r.open({ rateLimit: { maxFailures: 3, windowMs: 60_000, lockoutMs: 60_000 } });
    await station.start();
    const idNumber = newCitizen();
    await depositAndClose(r, station, idNumber);
    for (let i = 0; i < 2; i++) expect(await station.scan('garbage')).toMatchObject({ reason: 'malformed' });
    expect(await station.scan('garbage')).toMatchObject({ kind: 'refused', reason: 'locked_out' });
    // Even a valid code is refused while locked out.
    expect(await station.scan(r.issuer.residence(idNumber))).toMatchObject({ kind: 'refused', reason: 'locked_out' });
    await station.stop();
    const again = r.open();
    expect(again.status().lockedUntil).not.toBeNull();
    expect(await again.scan(r.issuer.residence(idNumber))).toMatchObject({ kind: 'refused', reason: 'locked_out' });
  });

  it('a jammed door flags the parcel and sends the citizen to the counter; a jammed deposit moves on', async () => {
    const r = await rig();
    const station = r.open();
    await station.start();
    const alarms: string[] = [];
    station.on('alarm', (a) => alarms.push(`${a.kind}:${a.compartmentId}`));
    r.sim.jam(1, 1);
    const idNumber = newCitizen();
    const { compartment, parcelId } = await depositAndClose(r, station, idNumber);
    expect(compartment.id).toBe('A02');
    expect(station.status().compartments.find((c) => c.id === 'A01')?.use).toBe('out_of_service');
    r.sim.jam(1, 2);
    const result = await station.scan(r.issuer.residence(idNumber));
    expect(result).toMatchObject({ kind: 'pickup', items: [{ parcelId, status: 'jammed' }] });
    expect(alarms).toContain('jammed:A02');
    expect(station.pendingEvents().some((e) => e.type === 'flagged' && e.reason === 'door_jammed')).toBe(true);
  });

  it('raises an alarm and an event for a door left open', async () => {
    const r = await rig();
    const station = r.open({ leftOpenAfterMs: 100 });
    await station.start();
    const alarms: string[] = [];
    station.on('alarm', (a) => alarms.push(`${a.kind}:${a.compartmentId}`));
    const { code } = depositCode(r.issuer, newCitizen());
    await station.scan(code);
    await waitFor(() => alarms.includes('left_open:A01'), 3000, 'left-open alarm');
    expect(station.pendingEvents().map((e) => e.type)).toContain('door_left_open');
    expect(station.status().compartments.find((c) => c.id === 'A01')?.alarm).toBe('left_open');
  });

  it('restart mid-pickup: the open door is found open, not opened again, and the pickup completes', async () => {
    const r = await rig();
    const first = r.open();
    await first.start();
    const idNumber = newCitizen();
    const { parcelId } = await depositAndClose(r, first, idNumber);
    // Power cut right after the board opened the door, before the result was written:
    // replay that by writing the intent ourselves and opening the door on the bus.
    first.db.prepare("UPDATE parcels SET status = 'pickup_opening' WHERE id = ?").run(parcelId);
    first.db
      .prepare("INSERT INTO door_ops (id, parcel_id, compartment_id, purpose, state, actor, created_at, updated_at) VALUES ('op-x', ?, 'A01', 'pickup', 'intent', 'citizen:residence-code', ?, ?)")
      .run(parcelId, new Date().toISOString(), new Date().toISOString());
    await r.controller.open(1, 1);
    await first.stop();
    let opens = 0;
    const original = r.controller.open.bind(r.controller);
    r.controller.open = async (board, lock) => {
      opens++;
      return original(board, lock);
    };
    const second = r.open();
    await second.start();
    expect(second.parcel(parcelId)?.status).toBe('pickup_open');
    r.sim.closeDoor(1, 1);
    await waitFor(() => second.parcel(parcelId)?.status === 'picked_up', 3000, 'pickup completed after restart');
    expect(opens).toBe(0);
    expect(second.audit.rows().map((a) => a.action)).toContain('found_open_after_restart');
  });

  it('restart with an intent and a closed door: flagged as uncertain, never reopened', async () => {
    const r = await rig();
    const first = r.open();
    await first.start();
    const { parcelId } = await depositAndClose(r, first, newCitizen());
    first.db.prepare("UPDATE parcels SET status = 'pickup_opening' WHERE id = ?").run(parcelId);
    first.db
      .prepare("INSERT INTO door_ops (id, parcel_id, compartment_id, purpose, state, actor, created_at, updated_at) VALUES ('op-y', ?, 'A01', 'pickup', 'intent', 'citizen:residence-code', ?, ?)")
      .run(parcelId, new Date().toISOString(), new Date().toISOString());
    await first.stop();
    const second = r.open();
    await second.start();
    expect(second.parcel(parcelId)?.status).toBe('uncertain');
    expect(r.sim.isOpen(1, 1)).toBe(false);
    expect(second.pendingEvents().some((e) => e.type === 'flagged' && e.reason === 'uncertain_after_restart')).toBe(true);
  });

  it('batch deposit opens one compartment per code; a code already deposited is refused', async () => {
    const r = await rig();
    const station = r.open();
    await station.start();
    const a = depositCode(r.issuer, newCitizen());
    const b = depositCode(r.issuer, newCitizen(), 'large');
    const result = await station.deposit([a.code, b.code]);
    expect(result).toMatchObject({ kind: 'deposit', items: [{ compartmentId: 'A01', maskedName: '张*丰' }, { compartmentId: 'A04' }] });
    expect(r.sim.isOpen(1, 1) && r.sim.isOpen(1, 4)).toBe(true);
    expect(await station.deposit([a.code])).toMatchObject({ kind: 'refused', reason: 'replayed' });
  });

  it('holds a parcel for staff when the central API refuses its deposit (taken at another locker first)', async () => {
    const r = await rig();
    const station = r.open();
    await station.start();
    const idNumber = newCitizen();
    const { parcelId } = await depositAndClose(r, station, idNumber);
    const event = station.pendingEvents().find((e) => e.type === 'deposited')!;
    station.settleRefused(event.id);
    expect(station.parcel(parcelId)?.status).toBe('uncertain');
    expect(await station.scan(r.issuer.residence(idNumber))).toMatchObject({ kind: 'refused', reason: 'no_parcel' });
  });

  it('keeps the audit log append-only', async () => {
    const r = await rig();
    const station = r.open();
    await station.start();
    await depositAndClose(r, station, newCitizen());
    expect(() => station.db.prepare('DELETE FROM audit').run()).toThrow(/append-only/);
    expect(() => station.db.prepare("UPDATE audit SET actor = 'x'").run()).toThrow(/append-only/);
  });

  it('scrubs the pickup code from the outbox once the server has it', async () => {
    const r = await rig();
    const station = r.open();
    await station.start();
    await depositAndClose(r, station, newCitizen());
    const events = station.pendingEvents();
    station.markSent(events.map((e) => e.id));
    const stored = station.db.prepare('SELECT json FROM outbox').all() as { json: string }[];
    expect(stored.every((row) => !row.json.includes('pickupCode'))).toBe(true);
    expect(station.pendingEvents()).toHaveLength(0);
  });
});

describe('deposit codes a counter signed while the central API was away', () => {
  const DAY = 24 * 3600_000;
  /** The counter's own signer, as the counter role uses it offline. */
  function counterCode(
    issuer: TestCodeIssuer,
    delegation: ReturnType<TestCodeIssuer['delegation']>,
    fields: { idNumber: string; hallId?: string; caseNumber?: string },
  ): string {
    const issued = delegatedDepositCodes({ hallId: fields.hallId ?? HALL, citizenKey: issuer.citizenKey, delegation: () => delegation })({
      caseNumber: fields.caseNumber ?? 'C-OFFLINE-1',
      size: 'small',
      idNumber: fields.idNumber,
      name: '张三丰',
      phone: '13800138000',
    });
    if (!issued.ok) throw new Error(issued.message);
    return issued.code;
  }

  it('deposits with a counter-signed code once, reports it with the code for the central API, and the citizen picks up', async () => {
    const r = await rig();
    const station = r.open();
    await station.start();
    const idNumber = newCitizen();
    const code = counterCode(r.issuer, r.issuer.delegation({ hallId: HALL, deviceId: 'counter-7' }), { idNumber });
    const result = await station.scan(code);
    expect(result).toMatchObject({ kind: 'deposit', items: [{ compartmentId: 'A01', status: 'deposit_open', maskedName: '张*丰', caseNumber: 'C-OFFLINE-1' }] });
    const parcelId = result.kind === 'deposit' ? result.items[0]!.parcelId : '';
    r.sim.closeDoor(1, 1);
    await waitFor(() => station.parcel(parcelId)?.status === 'deposited', 3000, 'deposit recorded');
    const event = station.pendingEvents().find((e) => e.type === 'deposited');
    expect(event).toMatchObject({ parcelId, caseNumber: 'C-OFFLINE-1', delegatedCode: code });
    expect(station.audit.rows().find((a) => a.action === 'opened')?.reason).toMatch(/signed offline by counter counter-7/);
    // Single use: the same printed code again opens nothing.
    expect(await station.scan(code)).toMatchObject({ kind: 'refused', reason: expect.stringMatching(/^(replayed|already_deposited)$/) });
    // Once the central API has it, the code (with the sealed phone) is gone from the locker.
    station.markSent([event!.id]);
    expect(JSON.stringify(station.db.prepare('SELECT * FROM outbox').all())).not.toContain('HDD1.');
    expect(station.db.prepare('SELECT delegated_code FROM parcels WHERE id = ?').get(parcelId)).toEqual({ delegated_code: null });
    // The residence code finds it: the counter computed the same subject from the city's citizen key.
    expect(await station.scan(r.issuer.residence(idNumber))).toMatchObject({ kind: 'pickup', items: [{ parcelId, status: 'pickup_open' }] });
  });

  it('refuses a code without a valid certificate, under an expired or another hall\'s certificate, or tampered, with a reason', async () => {
    const r = await rig();
    const station = r.open();
    await station.start();
    const idNumber = newCitizen();
    const good = r.issuer.delegation({ hallId: HALL, deviceId: 'counter-7' });
    // A certificate from a city key this locker does not trust (anyone can make a key pair).
    const stranger = new TestCodeIssuer();
    const untrusted = counterCode(r.issuer, stranger.delegation({ hallId: HALL, deviceId: 'counter-7' }), { idNumber });
    // A key the certificate does not name: another counter's key with this counter's certificate.
    const other = r.issuer.delegation({ hallId: HALL, deviceId: 'counter-8' });
    const wrongKey = counterCode(r.issuer, { ...other, grant: { ...other.grant, certificate: good.grant.certificate, delegatedKid: good.grant.delegatedKid } }, { idNumber });
    // Signed after the certificate lapsed (the signer is told it is still valid; the locker reads the certificate).
    const lapsed = r.issuer.delegation({ hallId: HALL, deviceId: 'counter-7', issuedAtMs: Date.now() - 3 * DAY, lifetimeSeconds: 2 * 24 * 3600 });
    const expired = counterCode(r.issuer, { ...lapsed, grant: { ...lapsed.grant, notAfter: new Date(Date.now() + DAY).toISOString() } }, { idNumber });
    // A counter of another hall, even for a code naming this hall.
    const elsewhere = r.issuer.delegation({ hallId: 'h2', deviceId: 'counter-9' });
    const otherHall = counterCode(r.issuer, { ...elsewhere, grant: { ...elsewhere.grant, hallId: HALL } }, { idNumber });
    // Tampered: one byte of the code (its masked name) or of the certificate (its hall) changed.
    const flip = (text: string, at: (bytes: Buffer) => number) => {
      const bytes = Buffer.from(text.slice(5), 'base64url');
      const i = at(bytes);
      bytes[i] = bytes[i]! ^ 0x01;
      return `HDD1.${bytes.toString('base64url')}`;
    };
    const sound = counterCode(r.issuer, good, { idNumber });
    const tamperedCode = flip(sound, (b) => b.length - 65);
    const tamperedCert = flip(sound, () => 2 + 20);
    const cases: [string, string, string][] = [
      ['untrusted certificate', untrusted, 'certificate_invalid'],
      ['key not named by the certificate', wrongKey, 'forged'],
      ['expired certificate', expired, 'certificate_expired'],
      ["another hall's certificate", otherHall, 'certificate_wrong_hall'],
      ['tampered code', tamperedCode, 'forged'],
      ['tampered certificate', tamperedCert, 'certificate_invalid'],
      ['truncated', sound.slice(0, 200), 'malformed'],
    ];
    for (const [what, code, reason] of cases) {
      const result = await station.scan(code);
      expect(result, what).toMatchObject({ kind: 'refused', reason });
      if (result.kind === 'refused') expect(result.message.en, what).toMatch(/\w/);
    }
    expect(station.audit.rows().filter((a) => a.action === 'open_intent')).toHaveLength(0);
    // The sound code still deposits: the refusals burned nothing of it.
    expect(await station.scan(sound)).toMatchObject({ kind: 'deposit', items: [{ status: 'deposit_open' }] });
  });
});
