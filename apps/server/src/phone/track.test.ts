import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { localDay } from '@hall/shared';
import type { TrackView } from '@hall/shared';
import { BACKENDS } from '../testing/databases';
import { openEventStream } from '../testing/eventStream';
import { FIXTURE_PASSWORD } from '../testing/fixture';
import { apiCall, newMutationId, pushingDevice } from '../testing/devices';
import { startTestServer, type TestServer } from '../testing/server';

const pgUrl = inject('postgresUrl');

describe.each(BACKENDS)("tracking a case from the receipt's QR on %s", (dialect) => {
  let server: TestServer;
  let base = '';
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    server = await startTestServer(dialect, pgUrl);
    base = await server.app.listen({ port: 0, host: '127.0.0.1' });
    tokens.manager = await server.login('t1-manager');
    const created = await apiCall(server, 'POST', '/staff', tokens.manager, {
      id: 't1-officer-track',
      hallId: 't1-hall',
      login: 't1-officer-track',
      displayName: '审*',
      staffNumber: 'off-77',
      departmentId: 't1-dept',
      roles: ['officer'],
      password: FIXTURE_PASSWORD,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    tokens.officer = await server.login('t1-officer-track');
  });
  afterAll(async () => server.dispose());

  const act = (caseId: string, action: string, body: Record<string, unknown> = {}) => apiCall(server, 'POST', `/halls/t1-hall/back-office/cases/${caseId}/${action}`, tokens.officer!, body);
  const device = (id: string, role: 'kiosk' | 'counter') => pushingDevice(server, { id, role, hall: 't1', managerToken: tokens.manager!, counterId: role === 'counter' ? 't1-c1' : undefined, now: Date.now });

  let serial = 0;
  /** A kiosk form with the citizen's name in it, accepted at counter 1 with a receipt token, as stations push it. */
  async function acceptedCase() {
    serial += 1;
    const kiosk = await device(`k-track-${serial}`, 'kiosk');
    const counter = await device(`c-track-${serial}`, 'counter');
    const lease = await apiCall(server, 'POST', '/sync/leases', kiosk.credential, { queueId: 't1-qa', day: localDay(Date.now(), 'Asia/Shanghai'), count: 1 });
    const ticketId = newMutationId();
    const caseId = newMutationId();
    expect(await kiosk.push('issueTicket', { ticketId, queueId: 't1-qa', serviceIds: ['t1-svc-1'], kind: 'walk_in', sequence: lease.body.block.start })).toMatchObject({ status: 'applied' });
    const citizen = { maskedName: '李*', idHash: `${'ef'.repeat(31)}${String(serial).padStart(2, '0')}` };
    expect(await kiosk.push('submitForm', { caseId, ticketId, serviceId: 't1-svc-1', answers: { 'q-who': ['self'] }, formId: 't1-form', formVersion: 1, citizen, values: { name: '李四' } })).toMatchObject({ status: 'applied' });
    await counter.push('closeCounter', { counterId: 't1-c1' });
    await counter.push('openCounter', { counterId: 't1-c1', staffId: 't1-clerk' });
    await counter.push('callSpecific', { counterId: 't1-c1', ticketId, staffId: 't1-clerk' });
    await counter.push('startServing', { counterId: 't1-c1', ticketId, staffId: 't1-clerk' });
    const receiptToken = randomBytes(16).toString('base64url');
    const number = `T-${serial}`;
    const accepted = await counter.push('acceptCase', { caseId, staffId: 't1-clerk', counterId: 't1-c1', received: [{ materialId: 'm-id' }, { materialId: 'm-hukou' }], caseNumber: number, receiptToken });
    expect(accepted).toMatchObject({ status: 'applied' });
    return { caseId, number, receiptToken, counter, ref: `${caseId}.${receiptToken}` };
  }

  it('shows the steps as the officer and the counter take them, pushed to the open page, with nothing personal but the masked name', async () => {
    const { caseId, number, ref, counter } = await acceptedCase();
    const page = await fetch(`${base}/track/${ref}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('/phone/assets/track.js');

    const stream = await openEventStream<TrackView>(`${base}/api/v1/track/${ref}/events`);
    expect(stream.status).toBe(200);
    const first = await stream.next();
    expect(first).toMatchObject({ serviceName: { zh: expect.any(String) }, hallName: { zh: expect.any(String) }, progress: { number, maskedName: '李*', step: 'review', overdue: false } });
    expect(first.timeline.map((s) => s.kind)).toEqual(['submitted', 'accepted']);
    const text = JSON.stringify(first);
    for (const secret of ['李四', 't1-clerk', 'idHash', 'efef', 'staffId', 'counterId']) expect(text, secret).not.toContain(secret);

    expect((await act(caseId, 'supplement', { items: [{ materialId: 'm-hukou', note: '户口簿复印件不清晰' }] })).status).toBe(200);
    const asked = await stream.next();
    expect(asked.progress).toMatchObject({ step: 'supplement', missing: ['户口簿复印件不清晰'], dueAt: expect.any(String) });

    expect(await counter.push('recordSupplement', { caseId, staffId: 't1-clerk', counterId: 't1-c1', received: [{ materialId: 'm-hukou', pageCount: 1 }] })).toMatchObject({ status: 'applied' });
    expect((await stream.next()).progress.step).toBe('review');
    expect((await act(caseId, 'approve')).status).toBe(200);
    expect((await stream.next()).progress.step).toBe('approved');
    expect((await act(caseId, 'complete')).status).toBe(200);
    const done = await stream.next();
    stream.close();
    expect(done.progress).toMatchObject({ step: 'collect', where: 'counter' });
    expect(done.timeline.map((s) => s.kind)).toEqual(['submitted', 'accepted', 'supplement_requested', 'supplement_received', 'approved', 'completed']);

    const once = await fetch(`${base}/api/v1/track/${ref}`);
    expect(once.status).toBe(200);
    expect(((await once.json()) as TrackView).progress.step).toBe('collect');
  });

  it('answers a forged, altered, swapped or unknown link the same way, and never opens one case with another\'s token', async () => {
    const a = await acceptedCase();
    const b = await acceptedCase();
    const flip = (token: string) => `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    const bad = [
      `${a.caseId}.${flip(a.receiptToken)}`,
      `${a.caseId}.${b.receiptToken}`,
      `${newMutationId()}.${a.receiptToken}`,
      `${a.caseId}.short`,
      `hall:case:${a.caseId}:${a.receiptToken}`,
      '../../etc/passwd',
    ];
    const apiBodies = new Set<string>();
    const pageBodies = new Set<string>();
    for (const ref of bad) {
      const api = await fetch(`${base}/api/v1/track/${encodeURIComponent(ref)}`);
      expect(api.status, ref).toBe(404);
      const body = (await api.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('invalid_track_link');
      apiBodies.add(JSON.stringify({ code: body.error.code, message: body.error.message }));
      const events = await fetch(`${base}/api/v1/track/${encodeURIComponent(ref)}/events`);
      expect(events.status, ref).toBe(404);
      await events.body?.cancel();
      const page = await fetch(`${base}/track/${encodeURIComponent(ref)}`);
      expect(page.status, ref).toBe(404);
      pageBodies.add(await page.text());
    }
    expect(apiBodies.size).toBe(1);
    expect(pageBodies.size).toBe(1);
    // Each receipt opens its own case only.
    expect(((await (await fetch(`${base}/api/v1/track/${b.ref}`)).json()) as TrackView).progress.number).toBe(b.number);
  });
});
