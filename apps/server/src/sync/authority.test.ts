import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  SYNC_HEADERS,
  SYNC_PROTOCOL_VERSION,
  SYNC_SCHEMA_VERSION,
  uuidV7,
  type Mutation,
  type PushResponse,
  localDay,
} from '@hall/shared';
import { listAudit } from '../store/audit';
import { BACKENDS } from '../testing/databases';
import { FIXTURE_PASSWORD } from '../testing/fixture';
import { bearer, startTestServer, type TestServer } from '../testing/server';
import { proven, signInClerk } from '../testing/clerk';
import { deviceProven, deviceProverOf } from '../testing/deviceKey';
import type { ClerkSessionProver, DeviceProver } from '@hall/station';

const pgUrl = inject('postgresUrl');
const versions = { [SYNC_HEADERS.protocol]: String(SYNC_PROTOCOL_VERSION), [SYNC_HEADERS.schema]: String(SYNC_SCHEMA_VERSION) };
const now = () => new Date().toISOString();
const today = () => localDay(Date.now(), 'Asia/Shanghai');
const newId = () => uuidV7(Date.now(), randomBytes(10));

/** One device's side of the protocol: its own seqs in its epoch, pushed by itself or handed to a peer to relay. */
class Device {
  seq = 0;
  readonly epoch = `epoch-${randomBytes(4).toString('hex')}`;
  constructor(
    readonly app: FastifyInstance,
    readonly id: string,
    readonly credential: string,
  ) {}

  /** A counter device's signed-in clerk: its counter mutations carry the session's proof. */
  clerk: ClerkSessionProver | undefined;
  /** The device key: every mutation carries its proof, so a hall peer may relay it. */
  prover: DeviceProver | undefined;

  mutation(type: Mutation['type'], payload: Record<string, unknown>): Mutation {
    this.seq += 1;
    const made: Mutation = { id: newId(), deviceId: this.id, epoch: this.epoch, seq: this.seq, type, payload: { at: now(), ...payload }, hlc: `h-${this.id}-${this.seq}` };
    const withClerk = this.clerk ? proven(this.clerk, made) : made;
    return this.prover ? deviceProven(this.prover, withClerk) : withClerk;
  }

  async push(mutations: Mutation[]): Promise<PushResponse> {
    const response = await this.app.inject({ method: 'POST', url: '/api/v1/sync/push', headers: { ...versions, ...bearer(this.credential) }, payload: { epoch: this.epoch, mutations } });
    if (response.statusCode !== 200) throw new Error(`push ${response.statusCode} ${response.body}`);
    return response.json();
  }

  async lease(queueId: string, count = 5): Promise<{ start: number; end: number }> {
    const response = await this.app.inject({ method: 'POST', url: '/api/v1/sync/leases', headers: { ...versions, ...bearer(this.credential) }, payload: { queueId, day: today(), count } });
    if (response.statusCode !== 200) throw new Error(`lease ${response.statusCode} ${response.body}`);
    return response.json().block;
  }
}

describe.each(BACKENDS)('who may send what, on %s', (dialect) => {
  let server: TestServer;
  const managers: Record<string, string> = {};

  async function create(id: string, role: string, counterId?: string, hall = 't1') {
    return server.app.inject({ method: 'POST', url: '/api/v1/sync/devices', headers: bearer(managers[hall]!), payload: { id, hallId: `${hall}-hall`, role, name: id, ...(counterId ? { counterId } : {}) } });
  }
  async function enroll(id: string, role: string, counterId?: string, hall = 't1'): Promise<Device> {
    const created = await create(id, role, counterId, hall);
    expect(created.statusCode).toBe(201);
    const enrolled = await server.app.inject({ method: 'POST', url: '/api/v1/sync/enroll', headers: versions, payload: { code: created.json().enrollmentCode } });
    expect(enrolled.statusCode).toBe(200);
    if (counterId) expect(enrolled.json().counterId).toBe(counterId);
    const device = new Device(server.app, id, enrolled.json().credential);
    device.prover = await deviceProverOf(server.app, device.credential);
    // A counter station pushes as its signed-in clerk, with the session's proof.
    if (counterId) device.clerk = await signInClerk(server.app, { id, credential: device.credential, counterId }, `${hall}-clerk`);
    return device;
  }
  /** A waiting ticket of queue t1-qa, issued by `kiosk`. */
  async function ticket(kiosk: Device): Promise<string> {
    const block = await kiosk.lease('t1-qa', 1);
    const ticketId = newId();
    const pushed = await kiosk.push([kiosk.mutation('issueTicket', { ticketId, queueId: 't1-qa', serviceIds: ['t1-svc-1'], kind: 'walk_in', sequence: block.start })]);
    expect(pushed.results[0]?.status).toBe('applied');
    return ticketId;
  }
  const recorded = (deviceId: string) =>
    server.db.database.db
      .withTables<{ sync_mutations: { device_id: string; seq: number; status: string; code: string | null } }>()
      .selectFrom('sync_mutations')
      .select(['status', 'code'])
      .where('device_id', '=', deviceId)
      .orderBy('seq')
      .execute();

  beforeAll(async () => {
    server = await startTestServer(dialect, pgUrl);
    managers.t1 = await server.login('t1-manager');
    managers.t2 = await server.login('t2-manager');
  });
  afterAll(async () => server.dispose());

  it("refuses a kiosk's counter commands and outcomes, once each, and moves its outbox on", async () => {
    const kiosk = await enroll('az-kiosk', 'kiosk');
    const ticketId = await ticket(kiosk);
    const forged = [
      kiosk.mutation('openCounter', { counterId: 't1-c1' }),
      kiosk.mutation('callNext', { counterId: 't1-c1', ticketId }),
      kiosk.mutation('acceptCase', { caseId: newId(), staffId: 't1-clerk', counterId: 't1-c1', serviceId: 't1-svc-1', ticketId, received: [] }),
      kiosk.mutation('recordEvaluation', { evaluationId: newId(), ticketId, counterId: 't1-c1', staffId: 't1-clerk', rating: 'very_satisfied', defaulted: false }),
      kiosk.mutation('cancelTicket', { ticketId }),
    ];
    const pushed = await kiosk.push(forged);
    expect(pushed.results.map((r) => (r.status === 'rejected' ? r.code : r.status))).toEqual(Array(5).fill('forbidden_for_role'));
    expect(pushed.lastSeq).toBe(kiosk.seq);
    // A retry is answered from the record, not decided again.
    expect((await kiosk.push(forged)).results).toEqual(pushed.results);
    expect((await recorded('az-kiosk')).map((r) => r.code)).toEqual([null, ...Array(5).fill('forbidden_for_role')]);
    // The ticket is still waiting: nothing the kiosk forged touched it.
    const row = await server.db.database.db.selectFrom('tickets').select(['status', 'counter_id']).where('id', '=', ticketId).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'waiting', counter_id: null });
  });

  it('refuses everything a display or a locker sends', async () => {
    const kiosk = await enroll('az-kiosk-2', 'kiosk');
    const ticketId = await ticket(kiosk);
    for (const role of ['display', 'locker']) {
      const device = await enroll(`az-${role}`, role);
      const pushed = await device.push([
        device.mutation('issueTicket', { ticketId: newId(), queueId: 't1-qa', serviceIds: ['t1-svc-1'], kind: 'walk_in', sequence: 900 }),
        device.mutation('submitForm', { caseId: newId(), serviceId: 't1-svc-1', answers: {}, values: {} }),
        device.mutation('openCounter', { counterId: 't1-c1' }),
        device.mutation('callSpecific', { counterId: 't1-c1', ticketId }),
        device.mutation('chooseDelivery', { caseId: newId(), staffId: 't1-clerk', delivery: 'counter' }),
      ]);
      expect(pushed.results.map((r) => (r.status === 'rejected' ? r.code : r.status))).toEqual(Array(5).fill('forbidden_for_role'));
      expect(pushed.lastSeq).toBe(5);
    }
  });

  it('lets a counter device act for its own counter only; an unbound counter device for none', async () => {
    const kiosk = await enroll('az-kiosk-3', 'kiosk');
    const ticketId = await ticket(kiosk);
    const a = await enroll('az-counter-a', 'counter', 't1-c1');
    const foreign = await a.push([
      a.mutation('openCounter', { counterId: 't1-c2' }),
      a.mutation('callSpecific', { counterId: 't1-c2', ticketId }),
      a.mutation('recordEvaluation', { evaluationId: newId(), ticketId, counterId: 't1-c2', staffId: 't1-clerk', rating: 'very_satisfied', defaulted: false }),
      a.mutation('refuseCase', { caseId: newId(), staffId: 't1-clerk', counterId: 't1-c2', serviceId: 't1-svc-1', ticketId, reason: '材料不全', missingMaterialIds: ['m1'] }),
    ]);
    expect(foreign.results.map((r) => (r.status === 'rejected' ? r.code : r.status))).toEqual(Array(4).fill('not_own_counter'));
    const own = await a.push([a.mutation('openCounter', { counterId: 't1-c1' }), a.mutation('callSpecific', { counterId: 't1-c1', ticketId })]);
    expect(own.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    // 一号联办 names no counter: it is the counter holding the ticket, which B is not.
    const b = await enroll('az-counter-b', 'counter', 't1-c2');
    const added = await b.push([b.mutation('addService', { ticketId, serviceId: 't1-svc-2' })]);
    expect(added.results[0]).toMatchObject({ status: 'rejected', code: 'not_own_counter' });

    const unbound = await enroll('az-counter-x', 'counter');
    const refused = await unbound.push([unbound.mutation('openCounter', { counterId: 't1-c2' }), unbound.mutation('submitForm', { caseId: newId(), serviceId: 't1-svc-1', answers: {}, values: {} })]);
    expect(refused.results.map((r) => (r.status === 'rejected' ? r.code : r.status))).toEqual(['counter_not_bound', 'applied']);

    // The console's device list shows it unbound, so the hall manager can bind it there.
    const listed = async () =>
      ((await server.app.inject({ method: 'GET', url: '/api/v1/admin/halls/t1-hall/devices', headers: bearer(managers.t1!) })).json() as { devices: { id: string; counterId?: string | null }[] }).devices.find(
        (d) => d.id === 'az-counter-x',
      )?.counterId;
    expect(await listed()).toBeNull();
    // A hall manager binds it (audited); its next push acts for that counter.
    const bind = await server.app.inject({ method: 'POST', url: '/api/v1/sync/devices/az-counter-x/counter', headers: bearer(managers.t1!), payload: { counterId: 't1-c2' } });
    expect(bind.statusCode).toBe(200);
    expect(await listed()).toBe('t1-c2');
    unbound.clerk = await signInClerk(server.app, { id: unbound.id, credential: unbound.credential, counterId: 't1-c2' }, 't1-clerk');
    expect((await unbound.push([unbound.mutation('openCounter', { counterId: 't1-c2' })])).results[0]?.status).toBe('applied');
    const audit = await listAudit(server.db.database.db, { entity: 'device', entityId: 'az-counter-x' });
    expect(audit.map((e) => e.action)).toEqual(['update']);
  });

  it('binds only counter devices, to counters of their own hall', async () => {
    expect((await create('az-bad-kiosk', 'kiosk', 't1-c1')).statusCode).toBe(400);
    expect((await create('az-bad-counter', 'counter', 't2-c1')).json().error.code).toBe('unknown_counter');
    await enroll('az-kiosk-4', 'kiosk');
    const bindKiosk = await server.app.inject({ method: 'POST', url: '/api/v1/sync/devices/az-kiosk-4/counter', headers: bearer(managers.t1!), payload: { counterId: 't1-c1' } });
    expect(bindKiosk.statusCode).toBe(400);
    await enroll('az-counter-y', 'counter', 't1-c1');
    const foreign = await server.app.inject({ method: 'POST', url: '/api/v1/sync/devices/az-counter-y/counter', headers: bearer(managers.t2!), payload: { counterId: 't1-c2' } });
    expect(foreign.statusCode).toBe(403);
  });

  it("decides a relayed mutation as its origin's: a counter relays a kiosk's ticket, a kiosk relays a counter's call", async () => {
    // Hall t2: its counters are untouched by the tests above.
    const kiosk = await enroll('az-kiosk-5', 'kiosk', undefined, 't2');
    const counter = await enroll('az-counter-5', 'counter', 't2-c1', 't2');
    // The kiosk numbered a ticket while the central API was away; the counter's link came back first.
    const block = await kiosk.lease('t2-qa', 1);
    const ticketId = newId();
    const issued = kiosk.mutation('issueTicket', { ticketId, queueId: 't2-qa', serviceIds: ['t2-svc-1'], kind: 'walk_in', sequence: block.start });
    const relayedIssue = await counter.push([issued]);
    expect(relayedIssue.results[0]).toMatchObject({ status: 'applied', deviceId: kiosk.id });
    const row = await server.db.database.db.selectFrom('tickets').select(['issued_by_device_id']).where('id', '=', ticketId).executeTakeFirstOrThrow();
    expect(row.issued_by_device_id).toBe(kiosk.id);

    // The counter opened and called at its own window; the kiosk relays both.
    const calls = [counter.mutation('openCounter', { counterId: 't2-c1' }), counter.mutation('callSpecific', { counterId: 't2-c1', ticketId })];
    const relayedCall = await kiosk.push(calls);
    expect(relayedCall.results.map((r) => [r.status, r.deviceId])).toEqual([
      ['applied', counter.id],
      ['applied', counter.id],
    ]);
    const called = await server.db.database.db.selectFrom('tickets').select(['status', 'counter_id']).where('id', '=', ticketId).executeTakeFirstOrThrow();
    expect(called).toEqual({ status: 'called', counter_id: 't2-c1' });

    // A call the kiosk itself made is not made a counter's by a counter relaying it.
    const forged = kiosk.mutation('recall', { counterId: 't2-c1' });
    const relayedForgery = await counter.push([forged]);
    expect(relayedForgery.results[0]).toMatchObject({ status: 'rejected', code: 'forbidden_for_role', deviceId: kiosk.id });
  });

  it("decides a relayed mutation only with its origin's device proof: a stolen kiosk credential cannot push in another station's name", async () => {
    const thief = await enroll('dp-kiosk-a', 'kiosk', undefined, 't2');
    const victim = await enroll('dp-kiosk-b', 'kiosk', undefined, 't2');
    const block = await victim.lease('t2-qa', 2);
    const issue = (sequence: number) => ({ ticketId: newId(), queueId: 't2-qa', serviceIds: ['t2-svc-1'], kind: 'walk_in', sequence });
    const genuine = victim.mutation('issueTicket', issue(block.start));
    const { deviceProof: _proof, ...bare } = genuine.payload;
    const forgeries: Mutation[] = [
      // No proof at all.
      { ...genuine, id: newId(), payload: bare },
      // Proved with the thief's own key, claimed for the victim.
      { ...genuine, id: newId(), payload: { ...bare, ...thief.prover!.prove({ ...genuine, id: newId(), payload: bare }) } },
      // The victim's genuine proof on a changed ticket.
      { ...genuine, payload: { ...genuine.payload, ticketId: newId() } },
    ];
    for (const forged of forgeries) {
      // Not decided: no answer, nothing recorded, the victim's seq not taken; the pusher is told, so it stops relaying it.
      const pushed = await thief.push([forged]);
      expect(pushed.results).toEqual([]);
      expect(pushed.unproven).toMatchObject([{ deviceId: victim.id, epoch: victim.epoch, seq: genuine.seq }]);
    }
    expect(await recorded('dp-kiosk-b')).toEqual([]);
    // The thief's own work in the same batch still goes through.
    const own = thief.mutation('issueTicket', issue((await thief.lease('t2-qa', 1)).start));
    expect((await thief.push([forgeries[0]!, own])).results.map((r) => [r.status, r.deviceId ?? thief.id])).toEqual([['applied', thief.id]]);

    // The genuine mutation, relayed with its proof by a peer, is decided as the victim's.
    const relayed = await thief.push([genuine]);
    expect(relayed.results).toMatchObject([{ status: 'applied', deviceId: victim.id }]);
    // A station's own mutations need no device proof: its credential names it.
    const unproven = victim.mutation('issueTicket', issue(block.start + 1));
    const { deviceProof: _own, ...ownBare } = unproven.payload;
    expect((await victim.push([{ ...unproven, payload: ownBare }])).results).toMatchObject([{ status: 'applied' }]);

    // The id of a mutation decided already (the thief's own) claimed for the victim's next seq: not decided.
    expect((await thief.push([{ ...own, deviceId: victim.id, epoch: victim.epoch, seq: victim.seq + 1 }])).results).toEqual([]);
    // A genuine proof replayed at another seq, to have the victim's later work decided first: not decided.
    const [first, second] = [victim.mutation('recordEvaluation', { evaluationId: newId(), ticketId: newId(), counterId: 't2-c1', staffId: 't2-clerk', rating: 'satisfied', defaulted: false }), victim.mutation('issueTicket', issue((await victim.lease('t2-qa', 1)).start))];
    expect((await thief.push([{ ...second!, seq: first!.seq }])).results).toEqual([]);
    // The victim's seqs are intact: its work goes through in its own order.
    expect((await thief.push([first!, second!])).results.map((r) => (r.status === 'rejected' ? r.code : r.status))).toEqual(['forbidden_for_role', 'applied']);

    // Re-enrolled, the victim holds a new key; one of its earlier enrollment proves nothing more.
    const earlierProver = victim.prover!;
    const reenrolled = await enroll('dp-kiosk-b', 'kiosk', undefined, 't2');
    expect(reenrolled.prover!.keyId).not.toBe(earlierProver.keyId);
    const late = reenrolled.mutation('issueTicket', issue((await reenrolled.lease('t2-qa', 1)).start));
    const { deviceProof: _late, ...lateBare } = late.payload;
    const withOldKey = { ...late, payload: { ...lateBare, ...earlierProver.prove({ ...late, payload: lateBare }) } };
    expect((await thief.push([withOldKey])).results).toEqual([]);
    expect((await thief.push([late])).results).toMatchObject([{ status: 'applied', deviceId: victim.id }]);
  });

  describe('the proof that the named clerk signed in at the counter device', () => {
    const codes = (pushed: PushResponse) => pushed.results.map((r) => (r.status === 'rejected' ? r.code : r.status));

    it('accepts a counter mutation only with its session proof, untouched, from its own device and session', async () => {
      const kiosk = await enroll('cp-kiosk', 'kiosk', undefined, 't2');
      const counter = await enroll('cp-counter', 'counter', 't2-c2', 't2');
      const other = await enroll('cp-counter-b', 'counter', 't2-c1', 't2');
      const block = await kiosk.lease('t2-qa', 2);
      const ticketId = newId();
      await kiosk.push([kiosk.mutation('issueTicket', { ticketId, queueId: 't2-qa', serviceIds: ['t2-svc-1'], kind: 'walk_in', sequence: block.start })]);
      const session = counter.clerk!;

      counter.clerk = undefined;
      const bare = counter.mutation('openCounter', { counterId: 't2-c2', staffId: 't2-clerk' });
      counter.clerk = session;
      const open = counter.mutation('openCounter', { counterId: 't2-c2' });
      // The same call, its ticket changed after the clerk's station signed it.
      const signed = counter.mutation('callSpecific', { counterId: 't2-c2', ticketId });
      const tampered = { ...signed, payload: { ...signed.payload, ticketId: newId() } };
      // The other counter's genuine proof, copied onto a mutation claimed for this device.
      const borrowed = counter.mutation('closeCounter', { counterId: 't2-c2' });
      const foreignProof = other.mutation('closeCounter', { counterId: 't2-c1' }).payload.clerkProof;
      const stolen = { ...borrowed, payload: { ...borrowed.payload, clerkProof: foreignProof } };
      // A clerk other than the one who signed in.
      const impostor = counter.mutation('resumeCounter', { counterId: 't2-c2', staffId: 't2-mgr' });
      const pushed = await counter.push([bare, open, tampered, stolen, impostor]);
      expect(codes(pushed)).toEqual(['clerk_proof_missing', 'applied', 'clerk_proof_invalid', 'clerk_proof_invalid', 'clerk_proof_invalid']);
      expect(pushed.results[2]).toMatchObject({ reason: expect.stringMatching(/does not verify/) });

      // A kiosk cannot forge a counter's call either: relayed, it proves no origin, so it is
      // not decided and does not take the counter's next seq.
      const forged = { ...signed, id: newId(), seq: counter.seq + 1 };
      expect(codes(await kiosk.push([forged]))).toEqual([]);
      // The genuine call, relayed with that seq: applied as the counter's.
      expect(codes(await kiosk.push([counter.mutation('callSpecific', { counterId: 't2-c2', ticketId })]))).toEqual(['applied']);
    });

    it('ends a session at its sign-out: later work in it is refused, earlier work pushed late is not', async () => {
      const counter = await enroll('cp-counter-out', 'counter', 't2-c1', 't2');
      const other = await enroll('cp-counter-out-2', 'counter', 't2-c1', 't2');
      const signOut = (device: Device, body: Record<string, unknown>) =>
        server.app.inject({ method: 'POST', url: '/api/v1/sync/clerk-sign-out', headers: { ...versions, ...bearer(device.credential) }, payload: body });
      const facts = counter.clerk!.facts;
      const before = counter.mutation('recall', { counterId: 't2-c1' });
      const endedAt = new Date(Date.now() + 1_000).toISOString();
      // Only the device holding the key ends its session.
      expect((await signOut(other, { keyId: facts.keyId, session: facts.session, endedAt })).statusCode).toBe(403);
      expect((await signOut(counter, { keyId: facts.keyId, session: facts.session, endedAt })).statusCode).toBe(200);
      // A second sign-out cannot move the end later.
      expect((await signOut(counter, { keyId: facts.keyId, session: facts.session, endedAt: new Date(Date.now() + 3_600_000).toISOString() })).statusCode).toBe(200);
      const after = counter.mutation('recall', { counterId: 't2-c1', at: new Date(Date.now() + 5_000).toISOString() });
      const pushed = await counter.push([before, after]);
      // Made before the sign-out: its proof holds (the executor decides the recall itself).
      expect(codes(pushed)[0]).not.toMatch(/^clerk_/);
      expect(pushed.results[1]).toMatchObject({ status: 'rejected', code: 'clerk_proof_invalid', reason: expect.stringMatching(/signed out/) });
    });

    it('refuses what a session made past its hours', async () => {
      const counter = await enroll('cp-counter-late', 'counter', 't2-c1', 't2');
      counter.clerk = await signInClerk(server.app, { id: counter.id, credential: counter.credential, counterId: 't2-c1' }, 't2-clerk', {
        startedAt: new Date(Date.now() - 13 * 3_600_000).toISOString(),
      });
      const pushed = await counter.push([counter.mutation('openCounter', { counterId: 't2-c1' })]);
      expect(pushed.results[0]).toMatchObject({ status: 'rejected', code: 'clerk_proof_invalid', reason: expect.stringMatching(/outside the session/) });
    });

    it('signs in only clerks of the hall at a bound counter device, and a password reset retires the key', async () => {
      const signIn = (credential: string, login: string, password = FIXTURE_PASSWORD) =>
        server.app.inject({ method: 'POST', url: '/api/v1/sync/clerk-sign-in', headers: { ...versions, ...bearer(credential) }, payload: { login, password } });
      const counter = await enroll('cp-counter-reset', 'counter', 't2-c1', 't2');
      const kiosk = await enroll('cp-kiosk-2', 'kiosk', undefined, 't2');
      expect((await signIn(kiosk.credential, 't2-clerk')).statusCode).toBe(403);
      expect((await signIn(counter.credential, 't2-manager')).json().error.code).toBe('not_a_clerk');
      expect((await signIn(counter.credential, 't1-clerk')).json().error.code).toBe('not_a_clerk');
      expect((await signIn(counter.credential, 't2-clerk', 'wrong-password')).statusCode).toBe(401);
      const ok = await signIn(counter.credential, 't2-clerk');
      expect(ok.statusCode).toBe(200);
      expect(ok.headers['cache-control']).toBe('no-store');
      const audit = await listAudit(server.db.database.db, { entity: 'staff', entityId: 't2-clerk' });
      expect(audit.find((e) => e.action === 'login')?.detail).toMatchObject({ deviceId: 'cp-counter-reset', counterId: 't2-c1' });
      // Sealed at rest like the other keys.
      const stored = await server.db.database.db.withTables<{ clerk_keys: { id: string; key: string } }>().selectFrom('clerk_keys').select(['id', 'key']).where('id', '=', ok.json().clerkKey.id).executeTakeFirstOrThrow();
      expect(stored.key).toMatch(/^hk1\./);
      expect(stored.key).not.toContain(ok.json().clerkKey.secret);

      const before = counter.clerk!;
      const reset = (password: string) => server.app.inject({ method: 'PATCH', url: '/api/v1/staff/t2-clerk', headers: bearer(managers.t2!), payload: { password } });
      expect((await reset('a-brand-new-pass-1')).statusCode).toBe(200);
      try {
        // The old key (held wrapped under the old password) opens nothing made after the reset.
        const late = await counter.push([counter.mutation('openCounter', { counterId: 't2-c1' })]);
        expect(late.results[0]).toMatchObject({ status: 'rejected', code: 'clerk_proof_invalid', reason: expect.stringMatching(/retired/) });
        counter.clerk = await signInClerk(server.app, { id: counter.id, credential: counter.credential, counterId: 't2-c1' }, 't2-clerk', { password: 'a-brand-new-pass-1' });
        expect(counter.clerk.facts.keyId).not.toBe(before.facts.keyId);
        // The new session's proof holds (the window itself may be busy from the tests above: the executor decides that).
        const fresh = await counter.push([counter.mutation('openCounter', { counterId: 't2-c1' })]);
        expect(codes(fresh)[0]).not.toMatch(/^clerk_/);
      } finally {
        expect((await reset(FIXTURE_PASSWORD)).statusCode).toBe(200);
      }
    });
  });
});
