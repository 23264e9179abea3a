import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { makeTestIdNumber, maskPhone, SYNC_HEADERS, SYNC_PROTOCOL_VERSION, SYNC_SCHEMA_VERSION, type LockerEvent } from '@hall/shared';
import { migrate } from '../db/migrate';
import { migrations } from '../db/migrations/index';
import { loggerOptions } from '../http/logging';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../testing/databases';
import { bearer, startTestServer, type TestServer } from '../testing/server';
import { HttpSmsProvider, renderSms, SmsDispatcher, SmsGatewaySimulator, smsDb } from './index';
import { smsOutboxHall } from './migration';

const pgUrl = inject('postgresUrl');
const versions = { [SYNC_HEADERS.protocol]: String(SYNC_PROTOCOL_VERSION), [SYNC_HEADERS.schema]: String(SYNC_SCHEMA_VERSION) };
const PHONE = ['139', '0020', '9000'].join('');
const fill = (body: string, params: Record<string, string>) => body.replace(/\{(\w+)\}/g, (_, name: string) => params[name]!);

describe.each(BACKENDS)('SMS worded with the hall’s own text at dispatch on %s', (dialect) => {
  let server: TestServer;
  let now = new Date('2026-11-23T02:00:00.000Z');
  const gateway = new SmsGatewaySimulator();
  const tokens = { t1Clerk: '', t2Clerk: '', t1Manager: '', t2Manager: '' };
  const lockers = { 't1-hall': { id: 'lk-t1', credential: '' }, 't2-hall': { id: 'lk-t2', credential: '' } };
  const logLines: string[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  let dispatcher: SmsDispatcher;

  beforeAll(async () => {
    server = await startTestServer(dialect, pgUrl, { clock: () => now, logger: loggerOptions('info', logStream) });
    tokens.t1Clerk = await server.login('t1-clerk');
    tokens.t2Clerk = await server.login('t2-clerk');
    tokens.t1Manager = await server.login('t1-manager');
    tokens.t2Manager = await server.login('t2-manager');
    for (const [hallId, manager] of [['t1-hall', tokens.t1Manager], ['t2-hall', tokens.t2Manager]] as const) {
      const locker = lockers[hallId];
      const created = await server.app.inject({ method: 'POST', url: '/api/v1/sync/devices', headers: bearer(manager), payload: { id: locker.id, hallId, role: 'locker', name: `${hallId} 文件柜` } });
      expect(created.statusCode, created.body).toBe(201);
      const enrolled = await server.app.inject({ method: 'POST', url: '/api/v1/sync/enroll', headers: versions, payload: { code: created.json().enrollmentCode } });
      locker.credential = enrolled.json().credential;
    }
    await gateway.start();
    dispatcher = new SmsDispatcher(server.db.database.db, server.app.hall.dataKeys, new HttpSmsProvider(gateway.url), () => now, server.app.log, {
      maxAttempts: 5,
      baseDelayMs: 1000,
      maxDelayMs: 60_000,
      leaseMs: 5000,
    });
  });
  afterAll(async () => {
    await server.dispose();
    await gateway.close();
  });

  const putText = (hallId: 't1-hall' | 't2-hall', body: string | null) =>
    server.app.inject({
      method: 'PUT',
      url: `/api/v1/admin/halls/${hallId}/sms-templates/locker_deposited`,
      headers: bearer(hallId === 't1-hall' ? tokens.t1Manager : tokens.t2Manager),
      payload: { body },
    });

  /** Issues a parcel and has the hall's locker report it deposited; returns the SMS parameters. */
  async function deposit(hallId: 't1-hall' | 't2-hall', caseNumber: string, pickupCode: string) {
    const issued = await server.app.inject({
      method: 'POST',
      url: '/api/v1/lockers/deposit-codes',
      headers: bearer(hallId === 't1-hall' ? tokens.t1Clerk : tokens.t2Clerk),
      payload: { hallId, items: [{ caseNumber, size: 'small', idNumber: makeTestIdNumber(), name: '张三丰', phone: PHONE }] },
    });
    expect(issued.statusCode, issued.body).toBe(201);
    const parcelId = (issued.json().codes as { parcelId: string }[])[0]!.parcelId;
    const event: LockerEvent = { id: `ev-${parcelId}`, type: 'deposited', at: now.toISOString(), parcelId, compartmentId: 'B02', size: 'small', caseNumber, pickupCode };
    const pushed = await server.app.inject({ method: 'POST', url: '/api/v1/lockers/events', headers: bearer(lockers[hallId].credential), payload: { events: [event] } });
    expect(pushed.json().results).toEqual([{ id: event.id, status: 'applied' }]);
    return { parcelId, params: { caseNumber, lockerName: `${hallId} 文件柜`, compartmentId: 'B02', pickupCode } };
  }
  const sentFor = (caseNumber: string) => gateway.messages.filter((m) => m.text.includes(caseNumber));

  it('sends a hall’s own deposited text, the built-in text for another hall and for a message of no known hall', async () => {
    const own = '【天河政务大厅】办件{caseNumber}已放入{lockerName}{compartmentId}号柜，取件码{pickupCode}，请于工作日取件。';
    expect((await putText('t1-hall', own)).statusCode).toBe(200);
    const t1 = await deposit('t1-hall', 'HT-0001', '11112222');
    const t2 = await deposit('t2-hall', 'HT-0002', '33334444');
    const orphan = await deposit('t1-hall', 'HT-0003', '55556666');
    const db = smsDb(server.db.database.db);
    const halls = await db.selectFrom('sms_outbox').select(['idempotency_key', 'hall_id']).orderBy('idempotency_key').execute();
    expect(halls).toEqual(
      [
        { idempotency_key: `${t1.parcelId}:deposited`, hall_id: 't1-hall' },
        { idempotency_key: `${t2.parcelId}:deposited`, hall_id: 't2-hall' },
        { idempotency_key: `${orphan.parcelId}:deposited`, hall_id: 't1-hall' },
      ].sort((a, b) => a.idempotency_key.localeCompare(b.idempotency_key)),
    );
    // As a row queued before outboxes named their hall, and whose parcel could not be found.
    await db.updateTable('sms_outbox').set({ hall_id: null }).where('idempotency_key', '=', `${orphan.parcelId}:deposited`).execute();

    expect(await dispatcher.runOnce()).toBe(3);
    expect(sentFor('HT-0001').map((m) => m.text)).toEqual([fill(own, t1.params)]);
    expect(sentFor('HT-0002').map((m) => m.text)).toEqual([renderSms('locker_deposited', t2.params)]);
    expect(sentFor('HT-0003').map((m) => m.text)).toEqual([renderSms('locker_deposited', orphan.params)]);
    expect(sentFor('HT-0001')[0]!.to).toBe(PHONE);

    const logs = logLines.filter((line) => line.includes('"sms"')).join('\n');
    expect(logs).toContain(maskPhone(PHONE));
    expect(logs).not.toContain(PHONE);
    for (const code of ['11112222', '33334444', '55556666']) expect(logs).not.toContain(code);
  });

  it('words a message with the text in force when it is sent: an edit after queueing applies, a refused edit does not, and it is sent once', async () => {
    const before = '【天河政务大厅】旧文案：办件{caseNumber}，取件码{pickupCode}。';
    const after = '【天河政务大厅】新文案：办件{caseNumber}在{lockerName}{compartmentId}号柜，取件码{pickupCode}。';
    expect((await putText('t1-hall', before)).statusCode).toBe(200);
    const queued = await deposit('t1-hall', 'HT-0010', '77778888');
    gateway.failNext(503);
    expect(await dispatcher.runOnce()).toBe(0);

    expect((await putText('t1-hall', after)).statusCode).toBe(200);
    // A text without the pickup code cannot be saved, so it never reaches a citizen.
    const noCode = await putText('t1-hall', '【天河政务大厅】办件{caseNumber}已存柜。');
    expect(noCode.statusCode).toBe(400);
    expect(noCode.json().error.message).toContain('{pickupCode}');

    now = new Date(now.getTime() + 1500);
    expect(await dispatcher.runOnce()).toBe(1);
    expect(await dispatcher.runOnce()).toBe(0);
    expect(sentFor('HT-0010').map((m) => m.text)).toEqual([fill(after, queued.params)]);
    const logs = logLines.filter((line) => line.includes('"sms"')).join('\n');
    expect(logs).toContain('sms not sent');
    expect(logs).not.toContain(PHONE);
  });
});

describe.each(BACKENDS)('outbox hall backfill on %s', (dialect) => {
  const opened: TestDatabase[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((db) => db.dispose()));
  });

  it('gives queued rows the hall of their parcel, and none when the parcel is unknown', async () => {
    const test = await openTestDatabase(dialect, pgUrl, { migrated: false });
    opened.push(test);
    const { database } = test;
    await migrate(database, migrations.filter((m) => m.name < smsOutboxHall.name));
    const db = database.db;
    const at = '2026-11-01T00:00:00.000Z';
    for (const hall of ['h-a', 'h-b']) {
      await sql`insert into halls (id, name_zh, address, time_zone, opening_hours_json, created_at, updated_at) values (${hall}, ${hall}, 'x', 'Asia/Shanghai', '{}', ${at}, ${at})`.execute(db);
    }
    for (const [parcel, hall] of [['p-a', 'h-a'], ['p-b', 'h-b']]) {
      await sql`insert into locker_parcels (id, hall_id, case_number, size, phone, masked_name, status, issued_by, issued_at, updated_at)
        values (${parcel}, ${hall}, 'C', 'small', 'sealed', '张*', 'deposited', 'clerk', ${at}, ${at})`.execute(db);
    }
    const rows = [
      ['o1', 'p-a:deposited', 'locker_deposited'],
      ['o2', 'p-a:picked_up', 'locker_picked_up'],
      ['o3', 'p-b:returned', 'locker_returned'],
      ['o4', 'p-b:flagged', 'locker_flagged'],
      ['o5', 'p-gone:deposited', 'locker_deposited'],
    ];
    for (const [id, key, template] of rows) {
      await sql`insert into sms_outbox (id, idempotency_key, phone, template, params_json, status, attempts, next_attempt_at, created_at)
        values (${id}, ${key}, 'sealed', ${template}, 'sealed', 'pending', 0, ${at}, ${at})`.execute(db);
    }
    expect((await migrate(database)).applied).toContain(smsOutboxHall.name);
    const backfilled = await smsDb(db).selectFrom('sms_outbox').select(['id', 'hall_id']).orderBy('id').execute();
    expect(backfilled).toEqual([
      { id: 'o1', hall_id: 'h-a' },
      { id: 'o2', hall_id: 'h-a' },
      { id: 'o3', hall_id: 'h-b' },
      { id: 'o4', hall_id: 'h-b' },
      { id: 'o5', hall_id: null },
    ]);
  });
});
