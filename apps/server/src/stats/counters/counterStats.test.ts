import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { localDay } from '@hall/shared';
import { BACKENDS } from '../../testing/databases';
import { apiCall, newMutationId, pushingDevice } from '../../testing/devices';
import { startTestServer, type TestServer } from '../../testing/server';
import type { TrendReport } from './trends';
import type { CounterHours } from './hours';

const pgUrl = inject('postgresUrl');
const MIN = 60_000;

/**
 * Issue 20's statistics read what counters sync: tickets called and served, pauses and
 * resumes, pushed by enrolled devices through the real sync API on a moving server clock
 * (nothing inserted by SQL). Two half-years of activity give a growth figure and a trend.
 */
describe.each(BACKENDS)('theme, half-year, pause and extended-hours statistics on %s', (dialect) => {
  let server: TestServer;
  let nowMs = Date.parse('2026-03-02T02:00:00Z'); // Monday 10:00 in the hall (closes 17:30)
  let manager = '';
  let serial = 0;

  beforeAll(async () => {
    server = await startTestServer(dialect, pgUrl, { clock: () => new Date(nowMs) });
    manager = await server.login('t1-manager');
  });
  afterAll(async () => server.dispose());

  const device = (role: 'kiosk' | 'counter', counterId?: string) => {
    serial += 1;
    return pushingDevice(server, { id: `stat-${role}-${serial}`, role, hall: 't1', managerToken: manager, counterId, now: () => nowMs });
  };

  /** The kiosk's tickets for a service, numbered from a lease as a kiosk does. */
  async function issue(kiosk: Awaited<ReturnType<typeof device>>, queueId: string, serviceId: string, count: number): Promise<string[]> {
    const lease = await apiCall(server, 'POST', '/sync/leases', kiosk.credential, { queueId, day: localDay(nowMs, 'Asia/Shanghai'), count });
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const ticketId = newMutationId();
      expect(await kiosk.push('issueTicket', { ticketId, queueId, serviceIds: [serviceId], kind: 'walk_in', sequence: lease.body.block.start + i })).toMatchObject({ status: 'applied' });
      ids.push(ticketId);
    }
    return ids;
  }

  /** Calls, serves for `minutes` and finishes a ticket at the counter. */
  async function serve(counter: Awaited<ReturnType<typeof device>>, counterId: string, ticketId: string, minutes: number) {
    const called = await counter.push('callSpecific', { counterId, ticketId });
    expect(called, JSON.stringify(called)).toMatchObject({ status: 'applied' });
    expect(await counter.push('startServing', { counterId, ticketId })).toMatchObject({ status: 'applied' });
    nowMs += minutes * MIN;
    expect(await counter.push('finish', { counterId, ticketId })).toMatchObject({ status: 'applied' });
  }

  it('counts pauses and after-hours service per counter, and themes per half-year with growth and trend', async () => {
    // First half-year: two 出入境 (t1-svc-1) and one 户籍 (t1-svc-2) ticket.
    const kiosk = await device('kiosk');
    const passports = await issue(kiosk, 't1-qa', 't1-svc-1', 2);
    const [household] = await issue(kiosk, 't1-qb', 't1-svc-2', 1);
    const c1 = await device('counter', 't1-c1');
    const c2 = await device('counter', 't1-c2');
    await c1.push('closeCounter', { counterId: 't1-c1' });
    expect(await c1.push('openCounter', { counterId: 't1-c1' })).toMatchObject({ status: 'applied' });
    await serve(c1, 't1-c1', passports[0]!, 10);
    // 暂停服务: 15 minutes' rest, then 5 minutes for a meeting that runs to the day's end.
    expect(await c1.push('pauseCounter', { counterId: 't1-c1', reason: '休息' })).toMatchObject({ status: 'applied' });
    nowMs += 15 * MIN;
    expect(await c1.push('resumeCounter', { counterId: 't1-c1' })).toMatchObject({ status: 'applied' });
    // 延时服务: called at 17:40, ten minutes after closing, served for 20 minutes.
    nowMs = Date.parse('2026-03-02T09:40:00Z');
    await serve(c1, 't1-c1', passports[1]!, 20);
    // Another window serves within hours, pauses for a meeting at 17:05 and closes at 17:30.
    nowMs = Date.parse('2026-03-02T09:00:00Z');
    await c2.push('closeCounter', { counterId: 't1-c2' });
    await c2.push('openCounter', { counterId: 't1-c2' });
    await serve(c2, 't1-c2', household!, 5);
    await c2.push('pauseCounter', { counterId: 't1-c2', reason: '会议' });
    nowMs = Date.parse('2026-03-02T09:30:00Z');
    await c2.push('closeCounter', { counterId: 't1-c2' });

    // Second half-year: three 出入境 tickets served, within hours.
    nowMs = Date.parse('2026-08-03T02:00:00Z');
    manager = await server.login('t1-manager');
    const kiosk2 = await device('kiosk');
    const later = await issue(kiosk2, 't1-qa', 't1-svc-1', 3);
    const c1b = await device('counter', 't1-c1');
    await c1b.push('closeCounter', { counterId: 't1-c1' });
    await c1b.push('openCounter', { counterId: 't1-c1' });
    for (const id of later) await serve(c1b, 't1-c1', id, 5);

    const hours = await apiCall(server, 'GET', '/stats/counter-hours?hallId=t1-hall&from=2026-03-01&to=2026-03-31', manager);
    expect(hours.status, JSON.stringify(hours.body)).toBe(200);
    const counters = hours.body.halls[0].counters as CounterHours[];
    expect(counters.find((c) => c.counterId === 't1-c1')).toEqual({
      counterId: 't1-c1', pauses: 1, pausedSeconds: 15 * 60, pausedByReason: { 休息: 15 * 60 }, lateCalls: 1, lateServed: 1, extendedSeconds: 20 * 60,
    });
    expect(counters.find((c) => c.counterId === 't1-c2')).toEqual({
      counterId: 't1-c2', pauses: 1, pausedSeconds: 25 * 60, pausedByReason: { 会议: 25 * 60 }, lateCalls: 0, lateServed: 0, extendedSeconds: 0,
    });
    // August alone: no pause, nothing after hours.
    const august = await apiCall(server, 'GET', '/stats/counter-hours?hallId=t1-hall&from=2026-08-01&to=2026-08-31', manager);
    expect((august.body.halls[0].counters as CounterHours[]).find((c) => c.counterId === 't1-c1')).toMatchObject({ pauses: 0, lateCalls: 0 });

    const trends = await apiCall(server, 'GET', '/stats/trends?hallId=t1-hall&from=2026-01-01&to=2026-12-31&period=half&by=theme', manager);
    expect(trends.status, JSON.stringify(trends.body)).toBe(200);
    const report = trends.body as TrendReport;
    expect(report.periods).toEqual(['2026-H1', '2026-H2']);
    const row = (period: string, group: string) => report.rows.find((r) => r.period === period && r.group === group);
    expect(row('2026-H1', '出入境')).toMatchObject({ issued: 2, served: 2, growth: { issued: null, served: null } });
    expect(row('2026-H2', '出入境')).toMatchObject({ issued: 3, served: 3, growth: { issued: 50, served: 50 } });
    expect(row('2026-H1', '户籍')).toMatchObject({ issued: 1, served: 1 });
    expect(row('2026-H2', '户籍')).toMatchObject({ issued: 0, served: 0, growth: { issued: -100, served: -100 } });
    expect(report.trends).toEqual([
      { group: '出入境', direction: 'up', slope: 1 },
      { group: '户籍', direction: 'down', slope: -1 },
    ]);
    // Whole hall, by quarter: Q1 three tickets, Q3 three, Q2 and Q4 none.
    const quarters = (await apiCall(server, 'GET', '/stats/trends?hallId=t1-hall&from=2026-01-01&to=2026-12-31&period=quarter&by=hall', manager)).body as TrendReport;
    expect(quarters.rows.map((r) => [r.period, r.issued, r.growth.issued])).toEqual([
      ['2026-Q1', 3, null],
      ['2026-Q2', 0, -100],
      ['2026-Q3', 3, null],
      ['2026-Q4', 0, -100],
    ]);
  });

  it('refuses bad ranges and other halls’ managers', async () => {
    expect((await apiCall(server, 'GET', '/stats/trends?hallId=t1-hall&from=2026-05-01&to=2026-01-01', manager)).status).toBe(400);
    expect((await apiCall(server, 'GET', '/stats/trends?hallId=t1-hall&from=2026-01-01&to=2026-02-01&period=decade', manager)).status).toBe(400);
    const other = await server.login('t2-manager');
    expect((await apiCall(server, 'GET', '/stats/counter-hours?hallId=t1-hall&from=2026-01-01&to=2026-02-01', other)).status).toBe(403);
  });
});
