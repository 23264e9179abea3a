import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { localDay } from '@hall/shared';
import { HttpSmsProvider, SmsDispatcher, SmsGatewaySimulator } from '../../sms/index';
import { loadCatalogue } from '../../sync/catalogue';
import { BACKENDS } from '../../testing/databases';
import { bearer, startTestServer, type TestServer } from '../../testing/server';
import { PositionSmsNotifier } from '../positionSms/notifier';
import { hallDevices } from '../testDevices';

const pgUrl = inject('postgresUrl');
const PHONE = ['139', '0070', '1122'].join('');

describe.each(BACKENDS)('the public address of phone links on %s', (dialect) => {
  let server: TestServer;
  let manager = '';
  const gateway = new SmsGatewaySimulator();

  beforeAll(async () => {
    server = await startTestServer(dialect, pgUrl);
    manager = await server.login('t1-manager');
  });
  afterAll(async () => {
    await server.dispose();
    await gateway.close();
  });

  const { api, device, newId } = hallDevices(() => server, () => manager);
  const links = async (method: 'GET' | 'PUT', token: string, payload?: Record<string, unknown>) =>
    server.app.inject({ method, url: '/api/v1/admin/halls/t1-hall/phone-links', headers: bearer(token), ...(payload ? { payload } : {}) });

  it('is set by the hall manager, validated, audited and carried in the catalogue', async () => {
    expect((await links('GET', manager)).json()).toEqual({ baseUrl: null });
    for (const bad of ['ftp://hall.example.gov.cn', 'https://hall.example.gov.cn/?from=slip', 'https://user:pw@hall.example.gov.cn', 'hall.example.gov.cn', 'javascript:alert(1)']) {
      const refused = await links('PUT', manager, { baseUrl: bad });
      expect(refused.statusCode, bad).toBe(400);
      expect(refused.body).toContain('http:// or https://');
    }
    expect((await links('PUT', await server.login('t1-clerk'), { baseUrl: 'https://x.example.cn' })).statusCode).toBe(403);
    const saved = await links('PUT', manager, { baseUrl: 'https://hall.example.gov.cn/m/' });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toEqual({ baseUrl: 'https://hall.example.gov.cn/m' });
    expect((await links('GET', manager)).json()).toEqual({ baseUrl: 'https://hall.example.gov.cn/m' });
    const audit = await server.db.database.db.selectFrom('audit_log').selectAll().where('entity', '=', 'phone_links').execute();
    expect(audit).toHaveLength(1);
    // The save poked the catalogue, so stations (and this instance) see it at once.
    expect((await loadCatalogue(server.db.database.db, 't1-hall')).phoneLinks).toEqual({ baseUrl: 'https://hall.example.gov.cn/m' });
  });

  it('puts the ticket follow link under that address into the people-ahead SMS, a link the API opens', async () => {
    const kiosk = await device('k-links', 'kiosk');
    const lease = await api('POST', '/sync/leases', kiosk.credential, { queueId: 't1-qa', day: localDay(Date.now(), 'Asia/Shanghai'), count: 1 });
    const ticketId = newId();
    expect(await kiosk.push('issueTicket', { ticketId, queueId: 't1-qa', serviceIds: ['t1-svc-1'], kind: 'walk_in', sequence: lease.body.block.start })).toMatchObject({ status: 'applied' });
    expect(await kiosk.push('requestPositionSms', { ticketId, phone: PHONE })).toMatchObject({ status: 'applied' });
    const notifier = new PositionSmsNotifier(server.app.hall, { sweep: false });
    await notifier.scan('t1-hall');
    await notifier.close();
    await new SmsDispatcher(server.db.database.db, server.app.hall.dataKeys, new HttpSmsProvider(await gateway.start()), () => new Date()).runOnce();
    const text = gateway.messages.find((m) => m.to === PHONE)?.text ?? '';
    const link = /排队进度：(\S+)$/.exec(text)?.[1] ?? '';
    expect(link).toMatch(new RegExp(`^https://hall\\.example\\.gov\\.cn/m/follow/${ticketId}\\.[A-Za-z0-9_-]{22}$`));
    const page = await server.app.inject({ method: 'GET', url: link.replace('https://hall.example.gov.cn/m', '') });
    expect(page.statusCode).toBe(200);
  });

  it('is removed with null, and stations fall back to their own address', async () => {
    const cleared = await links('PUT', manager, { baseUrl: null });
    expect(cleared.json()).toEqual({ baseUrl: null });
    expect((await loadCatalogue(server.db.database.db, 't1-hall')).phoneLinks).toBeUndefined();
  });
});
