import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SYNC_HEADERS, SYNC_PROTOCOL_VERSION, SYNC_SCHEMA_VERSION, uuidV7, type Mutation, type PushResponse } from '@hall/shared';
import { localDay } from '@hall/shared/queue/index';
import { listAudit } from '../store/audit';
import { BACKENDS } from '../testing/databases';
import { bearer, startTestServer, type TestServer } from '../testing/server';

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

  mutation(type: Mutation['type'], payload: Record<string, unknown>): Mutation {
    this.seq += 1;
    return { id: newId(), deviceId: this.id, epoch: this.epoch, seq: this.seq, type, payload: { at: now(), ...payload }, hlc: `h-${this.id}-${this.seq}` };
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
    return new Device(server.app, id, enrolled.json().credential);
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
});
