import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { localDay } from '@hall/shared';
import { sealContext } from '../../secrets/atRest';
import { HttpSmsProvider, SmsDispatcher, SmsGatewaySimulator, smsDb } from '../../sms/index';
import { BACKENDS } from '../../testing/databases';
import { bearer, startTestServer, type TestServer } from '../../testing/server';
import { purgePersonalData } from '../purge/purge';
import { hallDevices } from '../testDevices';
import { PositionSmsNotifier } from './notifier';
import { positionDb, recordPositionSmsRequest } from './requests';

const pgUrl = inject('postgresUrl');
// Built from parts so no whole mobile number sits in the source.
const phoneOf = (n: number) => ['139', '0030', String(4400 + n)].join('');

describe.each(BACKENDS)('到号前短信提醒 (N people ahead) on %s', (dialect) => {
  let server: TestServer;
  let manager = '';
  /** The server's clock runs ahead of the wall by `shift`, so a hall-day can end without waiting. */
  let shift = 0;
  const nowMs = () => Date.now() + shift;
  const gateway = new SmsGatewaySimulator();
  let dispatcher: SmsDispatcher;
  let notifier: PositionSmsNotifier;

  beforeAll(async () => {
    server = await startTestServer(dialect, pgUrl, { clock: () => new Date(nowMs()) });
    manager = await server.login('t1-manager');
    dispatcher = new SmsDispatcher(server.db.database.db, server.app.hall.dataKeys, new HttpSmsProvider(await gateway.start()), () => new Date(nowMs()), server.app.log);
    notifier = new PositionSmsNotifier(server.app.hall, { sweep: false });
  });
  afterAll(async () => {
    await notifier.close();
    await server.dispose();
    await gateway.close();
  });

  const { api, device, newId } = hallDevices(() => server, () => manager, nowMs);
  const put = async (url: string, payload: unknown) => server.app.inject({ method: 'PUT', url: `/api/v1${url}`, headers: bearer(manager), payload: payload as Record<string, unknown> });
  const requests = () => positionDb(server.db.database.db).selectFrom('position_sms_requests').selectAll().execute();
  const delivered = async () => {
    await notifier.scan('t1-hall');
    await dispatcher.runOnce();
    return gateway.messages.filter((m) => m.to.startsWith('1390030'));
  };
  let waitingWithPhone = '';

  it('texts the citizen once, in the hall wording, when the hall N is reached; others with no phone get nothing', async () => {
    const hall = await api('GET', '/halls/t1-hall', manager);
    expect((await put('/halls/t1-hall/calling-rules', { ...hall.body.callingRules, positionSmsAhead: 2 })).statusCode).toBe(200);
    const wording = await put('/admin/halls/t1-hall/sms-templates/ticket_position', { body: '【测试大厅】{number}号快到了，前面还有{ahead}人。' });
    expect(wording.statusCode, wording.body).toBe(200);

    const kiosk = await device('k-position', 'kiosk');
    const counter = await device('c-position', 'counter');
    const lease = await api('POST', '/sync/leases', kiosk.credential, { queueId: 't1-qa', day: localDay(nowMs(), 'Asia/Shanghai'), count: 8 });
    const tickets = Array.from({ length: 8 }, () => newId());
    for (const [i, ticketId] of tickets.entries()) {
      expect(await kiosk.push('issueTicket', { ticketId, queueId: 't1-qa', serviceIds: ['t1-svc-1'], kind: 'walk_in', sequence: lease.body.block.start + i })).toMatchObject({ status: 'applied' });
    }
    const mine = tickets[4]!;
    waitingWithPhone = tickets[7]!;
    // A bad number is refused with the field named, and nothing is kept.
    expect(await kiosk.push('requestPositionSms', { ticketId: mine, phone: '12345678901' })).toMatchObject({ status: 'rejected', code: 'invalid_mutation', reason: expect.stringContaining('phone') });
    expect(await kiosk.push('requestPositionSms', { ticketId: mine, phone: phoneOf(1) })).toMatchObject({ status: 'applied' });
    expect(await kiosk.push('requestPositionSms', { ticketId: waitingWithPhone, phone: phoneOf(2) })).toMatchObject({ status: 'applied' });
    // Sealed at rest: the number is nowhere in the row.
    const stored = await requests();
    expect(stored.map((r) => r.ticket_id).sort()).toEqual([mine, waitingWithPhone].sort());
    for (const row of stored) expect(row.phone).not.toMatch(/1390030/);
    expect(await delivered()).toHaveLength(0); // 4 ahead

    await counter.push('closeCounter', { counterId: 't1-c1' });
    expect(await counter.push('openCounter', { counterId: 't1-c1', staffId: 't1-clerk' })).toMatchObject({ status: 'applied' });
    const counts: number[] = [];
    for (let call = 0; call < 4; call++) {
      expect(await counter.push('callNext', { counterId: 't1-c1', staffId: 't1-clerk' })).toMatchObject({ status: 'applied' });
      counts.push((await delivered()).length);
      expect(await counter.push('startServing', { counterId: 't1-c1', staffId: 't1-clerk' })).toMatchObject({ status: 'applied' });
      expect(await counter.push('finish', { counterId: 't1-c1', staffId: 't1-clerk' })).toMatchObject({ status: 'applied' });
    }
    // 3 ahead, then 2 (the hall's N): sent; then 1 and 0: not again.
    expect(counts).toEqual([0, 1, 1, 1]);
    const [message] = await delivered();
    expect(message!.to).toBe(phoneOf(1));
    expect(message!.text).toMatch(/^【测试大厅】A\d{3}号快到了，前面还有2人。$/);
    // The notified ticket's phone is gone; the one still 3 ahead keeps it.
    expect((await requests()).map((r) => r.ticket_id)).toEqual([waitingWithPhone]);
    // A ticket already called cannot ask any more.
    expect(await kiosk.push('requestPositionSms', { ticketId: tickets[0]!, phone: phoneOf(3) })).toMatchObject({ status: 'rejected', code: 'ticket_not_waiting' });
  });

  it('forgets the phone unsent when the hall-day ends, and the purge schedule forgets past days too', async () => {
    shift += 24 * 3600_000;
    expect(await notifier.scan()).toBe(0); // the sweep: nothing sent, the day is over
    expect(await delivered()).toHaveLength(1);
    expect(await requests()).toEqual([]);
    // The sent message keeps its row (and key) but no longer the number.
    const [sent] = await smsDb(server.db.database.db).selectFrom('sms_outbox').select(['id', 'phone']).where('template', '=', 'ticket_position').execute();
    expect(server.app.hall.dataKeys.open(sent!.phone, sealContext({ table: 'sms_outbox', column: 'phone' }, sent!.id))).toBe('');

    // A row left from an earlier day (e.g. no scan ran since) goes with the scheduled purge.
    const yesterday = localDay(nowMs() - 24 * 3600_000, 'Asia/Shanghai');
    await recordPositionSmsRequest(server.db.database.db, server.app.hall.dataKeys, 't1-hall', yesterday, { ticketId: newId(), phone: phoneOf(4), at: new Date(nowMs()).toISOString() });
    expect(await purgePersonalData(server.app.hall, 30)).toMatchObject({ positionPhones: 1 });
    expect(await requests()).toEqual([]);
  });
});
