// Two API instances on one PostgreSQL database: each keeps its own in-memory hall state,
// so the one that did not write must catch up from the log before deciding a push.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  SYNC_HEADERS,
  SYNC_PROTOCOL_VERSION,
  SYNC_SCHEMA_VERSION,
  uuidV7,
  type Mutation,
  type MutationResult,
  type PullResponse,
  localDay,
} from '@hall/shared';
import { buildServer } from '../app';
import { openDatabase, type HallDatabase } from '../db/connection';
import { migrate } from '../db/migrate';
import { seedDemoHall } from '../demo/seed';
import { createPostgresDatabase } from '../testing/databases';
import { FIXTURE_PASSWORD, fixtureHall } from '../testing/fixture';
import { bearer } from '../testing/server';
import { compactLog } from './pull';
import { hallStateCounts } from './state';
import { proven, signInClerk } from '../testing/clerk';
import type { ClerkSessionProver } from '@hall/station';

const versions = { [SYNC_HEADERS.protocol]: String(SYNC_PROTOCOL_VERSION), [SYNC_HEADERS.schema]: String(SYNC_SCHEMA_VERSION) };

class Station {
  /** A counter device's signed-in clerk: its counter mutations carry the session's proof. */
  clerk: ClerkSessionProver | undefined;
  private seq = 0;
  private readonly epoch = `e-${randomBytes(4).toString('hex')}`;
  constructor(
    private readonly app: FastifyInstance,
    readonly id: string,
    readonly credential: string,
  ) {}

  /** The ticket an applied call put at the counter (a call logs the ticket row, then the counter's). */
  async calledTicket(result: MutationResult): Promise<string> {
    if (result.status !== 'applied') throw new Error(`not applied: ${JSON.stringify(result)}`);
    const response = await this.app.inject({ method: 'GET', url: `/api/v1/sync/pull?cursor=${result.logSeq - 2}&limit=2`, headers: { ...versions, ...bearer(this.credential) } });
    const entries = (response.json() as PullResponse & { kind: 'page' }).entries;
    const ticket = entries.find((e) => e.change.entity === 'ticket' && e.origin?.deviceId === this.id);
    if (!ticket) throw new Error('the call logged no ticket');
    return ticket.change.id;
  }

  /** Pushes one mutation and returns its result. */
  async push(type: Mutation['type'], payload: Record<string, unknown>): Promise<MutationResult> {
    this.seq += 1;
    const made: Mutation = { id: uuidV7(Date.now(), randomBytes(10)), deviceId: this.id, epoch: this.epoch, seq: this.seq, type, payload: { ...payload, at: new Date().toISOString() }, hlc: String(this.seq) };
    const mutation = this.clerk ? proven(this.clerk, made) : made;
    const response = await this.app.inject({ method: 'POST', url: '/api/v1/sync/push', headers: { ...versions, ...bearer(this.credential) }, payload: { epoch: this.epoch, mutations: [mutation] } });
    if (response.statusCode !== 200) throw new Error(`push ${response.statusCode} ${response.body}`);
    return (response.json() as { results: MutationResult[] }).results[0]!;
  }

  async lease(queueId: string, count: number): Promise<{ start: number; end: number }> {
    const response = await this.app.inject({ method: 'POST', url: '/api/v1/sync/leases', headers: { ...versions, ...bearer(this.credential) }, payload: { queueId, day: localDay(Date.now(), 'Asia/Shanghai'), count } });
    if (response.statusCode !== 200) throw new Error(`lease ${response.statusCode} ${response.body}`);
    return (response.json() as { block: { start: number; end: number } }).block;
  }
}

async function station(app: FastifyInstance, enrolledAt: FastifyInstance, token: string, id: string, role: string, counterId?: string): Promise<Station> {
  const created = await enrolledAt.inject({ method: 'POST', url: '/api/v1/sync/devices', headers: bearer(token), payload: { id, hallId: 't1-hall', role, name: id, ...(counterId ? { counterId } : {}) } });
  const enrolled = await enrolledAt.inject({ method: 'POST', url: '/api/v1/sync/enroll', headers: versions, payload: { code: created.json().enrollmentCode } });
  const station = new Station(app, id, enrolled.json().credential as string);
  if (counterId) station.clerk = await signInClerk(enrolledAt, { id, credential: station.credential, counterId }, 't1-clerk');
  return station;
}

const applied = (result: MutationResult) => {
  if (result.status !== 'applied') throw new Error(`${result.status}: ${'code' in result ? result.code : ''}`);
  return result;
};

describe('hall state catch-up between two API instances (PostgreSQL)', () => {
  let created: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let databases: HallDatabase[];
  let apps: FastifyInstance[];
  let token = '';

  beforeAll(async () => {
    created = await createPostgresDatabase(inject('postgresUrl'));
    databases = [openDatabase({ dialect: 'postgres', url: created.url, poolSize: 3 }), openDatabase({ dialect: 'postgres', url: created.url, poolSize: 3 })];
    await migrate(databases[0]!);
    await seedDemoHall(databases[0]!.db, fixtureHall('t1'));
    apps = await Promise.all(databases.map((database) => buildServer({ database })));
    token = (await apps[0]!.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: 't1-manager', password: FIXTURE_PASSWORD } })).json().token as string;
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await Promise.all(databases.map((d) => d.close()));
    await created.drop();
  });

  it('applies the other instance’s entries in order and calls what it issued', async () => {
    const [a, b] = apps as [FastifyInstance, FastifyInstance];
    const counterA = await station(a, a, token, 'cu-counter-a', 'counter', 't1-c2');
    const counterB = await station(b, a, token, 'cu-counter-b', 'counter', 't1-c1');
    const kioskB = await station(b, a, token, 'cu-kiosk-b', 'kiosk');
    const ctxA = a.hall;
    const before = { ...hallStateCounts(ctxA) };

    // Instance A holds the hall in memory from here on.
    applied(await counterA.push('openCounter', { counterId: 't1-c2' }));
    const block = await kioskB.lease('t1-qa', 4);
    // Instance B writes twelve entries: four tickets, its counter opened, the first ticket
    // called, served and finished, then the third called (ticket and counter rows each). A
    // must apply them in order. An entry whose entity a later entry rewrites (rows are whole)
    // may be skipped harmlessly; each of the others changes what A decides below.
    const ids = Array.from({ length: 4 }, () => uuidV7(Date.now(), randomBytes(10)));
    for (const [i, ticketId] of ids.entries()) {
      applied(await kioskB.push('issueTicket', { ticketId, queueId: 't1-qa', serviceIds: ['t1-svc-1'], kind: 'walk_in', sequence: block.start + i }));
    }
    applied(await counterB.push('openCounter', { counterId: 't1-c1' }));
    applied(await counterB.push('callSpecific', { counterId: 't1-c1', ticketId: ids[0] }));
    applied(await counterB.push('startServing', { counterId: 't1-c1' }));
    applied(await counterB.push('finish', { counterId: 't1-c1' }));
    applied(await counterB.push('callSpecific', { counterId: 't1-c1', ticketId: ids[2] }));

    // A calls next three times: the second and fourth tickets, then nothing is left.
    const calls: string[] = [];
    for (;;) {
      const result = await counterA.push('callNext', { counterId: 't1-c2' });
      if (result.status !== 'applied') {
        expect(result).toMatchObject({ code: 'no_ticket_waiting' });
        break;
      }
      calls.push(await counterA.calledTicket(result));
      applied(await counterA.push('startServing', { counterId: 't1-c2' }));
      applied(await counterA.push('finish', { counterId: 't1-c2' }));
      if (calls.length > 4) break;
    }
    expect(calls).toEqual([ids[1], ids[3]]);
    // A knows B's counter finished the first ticket and holds the third: neither can be called.
    expect(await counterA.push('callSpecific', { counterId: 't1-c2', ticketId: ids[0] })).toMatchObject({ status: 'rejected', code: 'ticket_not_callable' });
    expect(await counterA.push('callSpecific', { counterId: 't1-c2', ticketId: ids[2] })).toMatchObject({ status: 'rejected', code: 'ticket_not_callable' });

    const after = hallStateCounts(ctxA);
    expect(after.caughtUp - before.caughtUp).toBe(1);
    expect(after.reloaded - before.reloaded).toBe(1);
  });

  it('reads the hall again when the entries it missed were compacted away', async () => {
    const [a, b] = apps as [FastifyInstance, FastifyInstance];
    const counterA = await station(a, a, token, 'cp-counter-a', 'counter', 't1-c2');
    const kioskB = await station(b, a, token, 'cp-kiosk-b', 'kiosk');
    // Counter 2 is open and idle after the first test; A holds the hall in memory.
    const block = await kioskB.lease('t1-qa', 2);
    const ids = [uuidV7(Date.now(), randomBytes(10)), uuidV7(Date.now(), randomBytes(10))];
    for (const [i, ticketId] of ids.entries()) {
      applied(await kioskB.push('issueTicket', { ticketId, queueId: 't1-qa', serviceIds: ['t1-svc-1'], kind: 'walk_in', sequence: block.start + i }));
    }
    await compactLog(b.hall, 't1-hall', Number.MAX_SAFE_INTEGER);
    const before = { ...hallStateCounts(a.hall) };

    expect(await counterA.calledTicket(await counterA.push('callNext', { counterId: 't1-c2' }))).toBe(ids[0]);
    const after = hallStateCounts(a.hall);
    expect(after.reloaded - before.reloaded).toBe(1);
    expect(after.caughtUp - before.caughtUp).toBe(0);
  });
});
