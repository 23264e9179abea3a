import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Appointment } from '@hall/shared';
import { localDay } from '@hall/shared';
import { HttpSmsProvider, SmsDispatcher, SmsGatewaySimulator } from '../sms/index';
import { BACKENDS } from '../testing/databases';
import { startTestServer, type TestServer } from '../testing/server';
import { MissedTicketSms } from './missedSms';
import { hallDevices } from './testDevices';

const pgUrl = inject('postgresUrl');

describe.each(BACKENDS)('the 过号 SMS on %s', (dialect) => {
  let server: TestServer;
  let manager = '';
  /** The server's clock runs ahead of the wall by `shift`, so the call countdown passes without waiting. */
  let shift = 0;
  const nowMs = () => Date.now() + shift;
  const gateway = new SmsGatewaySimulator();
  let dispatcher: SmsDispatcher;

  beforeAll(async () => {
    server = await startTestServer(dialect, pgUrl, { clock: () => new Date(nowMs()) });
    manager = await server.login('t1-manager');
    dispatcher = new SmsDispatcher(server.db.database.db, server.app.hall.dataKeys, new HttpSmsProvider(await gateway.start()), () => new Date(nowMs()), server.app.log);
  });
  afterAll(async () => {
    await server.dispose();
    await gateway.close();
  });

  const { api, device, newId } = hallDevices(() => server, () => manager, nowMs);

  it('tells the booked citizen of a missed ticket the window and the minutes to come back, once', async () => {
    const today = localDay(nowMs(), 'Asia/Shanghai');
    const booked = await api('POST', '/appointments', manager, {
      hallId: 't1-hall',
      serviceId: 't1-svc-1',
      date: today,
      slot: { from: '00:00', to: '23:59' },
      citizen: { maskedName: '张*三', idHash: 'e'.repeat(64) },
      phone: '13512345678',
    });
    expect(booked.status).toBe(201);
    const appointment = booked.body.appointment as Appointment;
    const kiosk = await device('k-missed', 'kiosk');
    const counter = await device('c-missed', 'counter');
    const lease = await api('POST', '/sync/leases', kiosk.credential, { queueId: 't1-qa', day: today, count: 1 });
    const ticketId = newId();
    const checkIn = { ticketId, sequence: lease.body.block.start, appointment: { id: appointment.id, serviceId: appointment.serviceId, date: appointment.date, slot: appointment.slot, status: appointment.status, citizen: appointment.citizen } };
    expect(await kiosk.push('checkIn', checkIn)).toMatchObject({ status: 'applied' });
    await counter.push('closeCounter', { counterId: 't1-c1' });
    expect(await counter.push('openCounter', { counterId: 't1-c1', staffId: 't1-clerk' })).toMatchObject({ status: 'applied' });
    expect(await counter.push('callSpecific', { counterId: 't1-c1', ticketId, staffId: 't1-clerk' })).toMatchObject({ status: 'applied' });
    // Called is not missed: nothing is sent yet.
    await dispatcher.runOnce();
    expect(gateway.messages.filter((m) => m.to === '13512345678')).toHaveLength(0);

    shift += 60_000;
    expect(await counter.push('markMissed', { counterId: 't1-c1', ticketId, staffId: 't1-clerk' })).toMatchObject({ status: 'applied' });
    // The push's poke drives the notifier; a sweep finding the same miss again queues nothing new.
    const sweeper = new MissedTicketSms(server.app.hall, { sweep: false });
    let text = '';
    for (let i = 0; i < 250 && text === ''; i++) {
      await dispatcher.runOnce();
      text = gateway.messages.find((m) => m.to === '13512345678')?.text ?? '';
      if (text === '') await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(text).toMatch(/号码A\d{3}已过号。请在(29|30)分钟内到1号窗口/);
    expect(await sweeper.scan()).toBe(0);
    await dispatcher.runOnce();
    expect(gateway.messages.filter((m) => m.to === '13512345678')).toHaveLength(1);
    sweeper.close();
  });
});
