// GET /metrics: request counts and latency by route template, sync lag per station and
// queue lengths per hall, driven by real sync traffic against a real central API.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidV7, type Mutation, localDay } from '@hall/shared';
import { SyncClient } from '@hall/station';
import { FIXTURE_PASSWORD } from '../../apps/server/src/testing/fixture';
import { HALL_ID, startCentral, type Central } from '../sync/harness';

/** The scraper's token (HALL_METRICS_TOKEN in production). */
const METRICS_TOKEN = 'ops-metrics-scraper-token-000000000000000';

/** Value of one sample line `name{labels} value`, or undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const body = line.slice(name.length + 1, line.lastIndexOf('}'));
    const pairs = Object.fromEntries(body.split(',').map((pair) => pair.split('=') as [string, string]).map(([k, v]) => [k, v.replace(/^"|"$/g, '')]));
    if (Object.entries(labels).every(([k, v]) => pairs[k] === v)) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

describe('Prometheus metrics', () => {
  let central: Central;
  let kiosk: SyncClient;
  let kioskCredential = '';

  beforeAll(async () => {
    central = await startCentral({ dialect: 'sqlite', server: { metricsTokens: [METRICS_TOKEN] } });
    kiosk = new SyncClient({ apiUrl: central.url, timeoutMs: 10_000 });
    kioskCredential = (await kiosk.enroll(await central.enrollmentCode('ops-kiosk', 'kiosk'))).credential;
    kiosk.setCredential(kioskCredential);
  });
  afterAll(async () => central.close());

  const scrape = async () => {
    const response = await fetch(`${central.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    return response.text();
  };

  it('needs the scraper token or a city administrator: nobody else reads it', async () => {
    const get = (authorization?: string) => fetch(`${central.url}/metrics`, authorization ? { headers: { authorization } } : {});
    expect((await get()).status).toBe(401);
    expect((await get('Bearer not-the-metrics-token-0000000000000000')).status).toBe(401);
    const session = async (login: string) => {
      const response = await fetch(`${central.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login, password: FIXTURE_PASSWORD }) });
      return `Bearer ${((await response.json()) as { token: string }).token}`;
    };
    expect((await get(await session('t1-manager'))).status).toBe(403);
    expect((await get(`Bearer ${kioskCredential}`)).status).toBe(403);
    expect((await get(`Bearer ${METRICS_TOKEN}`)).status).toBe(200);
  });

  it('counts requests by route template and status, with latency histograms', async () => {
    const before = await scrape();
    const healthBefore = sample(before, 'hall_http_requests_total', { route: '/api/v1/health', status: '200' }) ?? 0;
    for (let i = 0; i < 3; i++) await fetch(`${central.url}/api/v1/health`);
    await fetch(`${central.url}/api/v1/halls/some-unknown-id`);
    await fetch(`${central.url}/no/such/path/${randomBytes(4).toString('hex')}`);
    const after = await scrape();
    expect(sample(after, 'hall_http_requests_total', { method: 'GET', route: '/api/v1/health', status: '200' })).toBe(healthBefore + 3);
    expect(sample(after, 'hall_http_request_duration_seconds_count', { route: '/api/v1/health', status: '200' })).toBe(healthBefore + 3);
    expect(sample(after, 'hall_http_request_duration_seconds_bucket', { route: '/api/v1/health', le: '+Inf' })).toBe(healthBefore + 3);
    // Ids in paths never become label values: the template does, or "unmatched".
    expect(after).toContain('route="/api/v1/halls/:hallId"');
    expect(after).not.toContain('some-unknown-id');
    expect(sample(after, 'hall_http_requests_total', { route: 'unmatched', status: '404' })).toBeGreaterThanOrEqual(1);
    expect(after).toMatch(/^hall_process_cpu_seconds_total /m);
  });

  it('reports waiting tickets per hall and queue, and each station’s sync lag', async () => {
    const day = localDay(Date.now(), 'Asia/Shanghai');
    const block = await kiosk.lease('t1-qa', day, 5);
    const at = new Date().toISOString();
    const mutations: Mutation[] = [0, 1, 2, 3, 4].map((n) => ({
      id: uuidV7(Date.now(), randomBytes(10)),
      deviceId: 'ops-kiosk',
      epoch: 'e1',
      seq: n + 1,
      type: 'issueTicket',
      payload: { ticketId: uuidV7(Date.now(), randomBytes(10)), queueId: 't1-qa', serviceIds: ['t1-svc-1'], kind: 'walk_in', sequence: block.start + n, at },
      hlc: String(n + 1),
    }));
    const pushed = await kiosk.push('e1', mutations);
    expect(pushed.results.every((r) => r.status === 'applied')).toBe(true);

    const display = new SyncClient({ apiUrl: central.url, timeoutMs: 10_000 });
    display.setCredential((await display.enroll(await central.enrollmentCode('ops-display', 'display'))).credential);
    await display.pull(0, 2);

    const text = await scrape();
    expect(sample(text, 'hall_queue_waiting_tickets', { hall_id: HALL_ID, queue_id: 't1-qa' })).toBe(5);
    const lag = sample(text, 'hall_sync_lag_events', { hall_id: HALL_ID, device_id: 'ops-display' });
    expect(lag).toBeGreaterThanOrEqual(5);

    const page = await display.pull(0, 1000);
    if (page.kind !== 'page') throw new Error('expected a page');
    await display.pull(page.cursor, 1000);
    const caughtUp = await scrape();
    expect(sample(caughtUp, 'hall_sync_lag_events', { hall_id: HALL_ID, device_id: 'ops-display' })).toBe(0);
  });
});
