import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { FollowView } from '@hall/shared';
import { localDay } from '@hall/shared';
import { followLinkSigner } from '@hall/station/roles/kiosk';
import { citizenKey } from '../residence-code/keys';
import { BACKENDS } from '../testing/databases';
import { openEventStream } from '../testing/eventStream';
import { startTestServer, type TestServer } from '../testing/server';
import type { FollowUpdate } from './followFeed';
import { hallDevices } from './testDevices';

const pgUrl = inject('postgresUrl');

const openStream = (url: string) => openEventStream<FollowUpdate>(url);

describe.each(BACKENDS)('following a ticket from the phone on %s', (dialect) => {
  let server: TestServer;
  let base = '';
  let manager = '';
  let sign: (ticketId: string) => string;

  beforeAll(async () => {
    server = await startTestServer(dialect, pgUrl);
    base = await server.app.listen({ port: 0, host: '127.0.0.1' });
    manager = await server.login('t1-manager');
    // The kiosk's signer with the key it receives at enrollment: the server must accept its links.
    sign = followLinkSigner(await citizenKey(server.db.database.db, server.app.hall.dataKeys));
  });
  afterAll(async () => server.dispose());

  const { api, device, newId } = hallDevices(() => server, () => manager);

  const view = (update: FollowUpdate): FollowView => {
    if (update.kind !== 'view') throw new Error(`expected a view, got ${JSON.stringify(update)}`);
    return update.view;
  };

  it('shows a ticket issued offline once it arrives, counts down as the counter calls, and pushes "go to window 1"', async () => {
    const kiosk = await device('k-follow', 'kiosk');
    const counter = await device('c-follow', 'counter');
    const lease = await api('POST', '/sync/leases', kiosk.credential, { queueId: 't1-qa', day: localDay(Date.now(), 'Asia/Shanghai'), count: 2 });
    const first = newId();
    const mine = newId();

    // The slip was printed while the kiosk was offline: the page opens before the API knows the ticket.
    const stream = await openStream(`${base}/api/v1/follow/${sign(mine)}/events`);
    expect(stream.status).toBe(200);
    expect(stream.contentType).toMatch(/^text\/event-stream/);
    expect(await stream.next()).toEqual({ kind: 'pending' });

    expect(await kiosk.push('issueTicket', { ticketId: first, queueId: 't1-qa', serviceIds: ['t1-svc-1'], kind: 'walk_in', sequence: lease.body.block.start })).toMatchObject({ status: 'applied' });
    expect(await kiosk.push('issueTicket', { ticketId: mine, queueId: 't1-qa', serviceIds: ['t1-svc-1'], kind: 'walk_in', sequence: lease.body.block.start + 1 })).toMatchObject({ status: 'applied' });
    let seen = view(await stream.next());
    // The first poke may arrive before the second ticket: wait for the followed one.
    while (seen.ahead === undefined) seen = view(await stream.next());
    expect(seen).toMatchObject({ status: 'waiting', ahead: 1, services: [{ zh: expect.any(String) }] });
    expect(seen.number).toMatch(/^A\d{3}$/);
    expect(JSON.stringify(seen)).not.toMatch(/idHash|maskedName|citizen/);

    await counter.push('closeCounter', { counterId: 't1-c1' });
    expect(await counter.push('openCounter', { counterId: 't1-c1', staffId: 't1-clerk' })).toMatchObject({ status: 'applied' });
    expect(await counter.push('callSpecific', { counterId: 't1-c1', ticketId: first, staffId: 't1-clerk' })).toMatchObject({ status: 'applied' });
    expect(view(await stream.next())).toMatchObject({ status: 'waiting', ahead: 0 });

    expect(await counter.push('startServing', { counterId: 't1-c1', ticketId: first, staffId: 't1-clerk' })).toMatchObject({ status: 'applied' });
    expect(await counter.push('finish', { counterId: 't1-c1', ticketId: first, staffId: 't1-clerk' })).toMatchObject({ status: 'applied' });
    expect(await counter.push('callSpecific', { counterId: 't1-c1', ticketId: mine, staffId: 't1-clerk' })).toMatchObject({ status: 'applied' });
    let called = view(await stream.next());
    while (called.status === 'waiting') called = view(await stream.next());
    expect(called).toMatchObject({ status: 'called', counterNumber: '1' });
    stream.close();

    const once = await fetch(`${base}/api/v1/follow/${sign(mine)}`);
    expect(once.status).toBe(200);
    expect(view((await once.json()) as FollowUpdate)).toMatchObject({ status: 'called', counterNumber: '1' });
  });

  it('refuses a forged or altered link and never lets one ticket\'s tag open another', async () => {
    const a = newId();
    const b = newId();
    const good = sign(a);
    const altered = `${good.slice(0, -1)}${good.endsWith('A') ? 'B' : 'A'}`;
    const swapped = `${b}.${good.split('.')[1]}`;
    for (const ref of [altered, swapped, 'A012', `${a}.short`, '../../etc/passwd']) {
      const response = await fetch(`${base}/api/v1/follow/${encodeURIComponent(ref)}/events`);
      expect(response.status, ref).toBe(404);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('invalid_follow_link');
      const page = await fetch(`${base}/follow/${encodeURIComponent(ref)}`);
      expect(page.status, ref).toBe(404);
    }
    expect(sign(b).split('.')[1]).not.toBe(good.split('.')[1]);
    const page = await fetch(`${base}/follow/${good}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).toContain('/phone/assets/follow.js');
    // The shared reconnecting client (live.js) loads first: follow.js calls it.
    expect(html.indexOf('/phone/assets/live.js')).toBeGreaterThan(-1);
    expect(html.indexOf('/phone/assets/live.js')).toBeLessThan(html.indexOf('/phone/assets/follow.js'));
    const live = await fetch(`${base}/phone/assets/live.js`);
    expect(live.status).toBe(200);
    expect(live.headers.get('content-type')).toContain('text/javascript');
    expect(await live.text()).toContain('window.hallLive');
  });
});
