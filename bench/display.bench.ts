// `npm run bench -- display [--calls N]`: how long from a counter's call until the wall
// display has rendered it in Chromium, through the central API (sync) and through the
// LAN call feed with the central API stopped. Real central API (SQLite), real stations,
// the built display renderer in Debian's Chromium.
import { chromium, type Page } from '@playwright/test';
import { WebSocket, WebSocketServer } from 'ws';
import type { StationRuntime } from '@hall/station';
import { attachLanCallFeed, startLanCallSender } from '@hall/station';
import { parseDisplayConfig } from '@hall/station/roles/display';
import { startDisplayStation } from '../apps/display/src/main/station';
import { FIXTURE_PASSWORD, fixtureHall } from '../apps/server/src/testing/fixture';
import { startHallCentral } from '../tests/e2e/harness/central';
import { builtRenderer } from '../tests/e2e/harness/renderer';
import { canIssue, enrolledConfig, FAST_SYNC, startPlainStation, waitUntil } from '../tests/e2e/harness/stations';

function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/**
 * Records, in the page, the wall-clock instant each ticket number first appears as the
 * latest call. A source string, because tsx would wrap a function in helpers the page lacks.
 */
const RENDER_PROBE = `(() => {
  window.__renders = {};
  const check = () => {
    const ticket = document.querySelector('[data-testid="latest-call"]')?.dataset.ticket;
    if (ticket && window.__renders[ticket] === undefined) window.__renders[ticket] = Date.now();
  };
  new MutationObserver(check).observe(document, { subtree: true, attributes: true, childList: true, attributeFilter: ['data-ticket'] });
})()`;

const renderedAt = (page: Page, number: string): Promise<number | undefined> =>
  page.evaluate(`window.__renders[${JSON.stringify(number)}]`) as Promise<number | undefined>;

/**
 * The floor under call_to_display: one WebSocket message to a loopback echo server and back
 * (the path a poke and the display page's station API take), measured in the same run. Ms.
 */
export async function loopbackWsRoundTrips(count: number): Promise<number[]> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  server.on('connection', (socket) => socket.on('message', (data) => socket.send(data)));
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as { port: number };
  const client = new WebSocket(`ws://127.0.0.1:${port}`);
  await new Promise<void>((resolve, reject) => {
    client.once('open', () => resolve());
    client.once('error', reject);
  });
  const samples: number[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const t0 = performance.now();
      await new Promise<void>((resolve) => {
        client.once('message', () => resolve());
        client.send(JSON.stringify({ topic: 'sync', n: i }));
      });
      samples.push(performance.now() - t0);
    }
  } finally {
    client.terminate();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  return samples;
}

export async function runBenchmark(args: string[]): Promise<Record<string, number>> {
  const callsArg = args.indexOf('--calls');
  const calls = callsArg >= 0 ? Number(args[callsArg + 1]) : 40;
  const hall = fixtureHall('t1');
  hall.callingRules = { ...hall.callingRules, callCountdownSeconds: 0, minSecondsBetweenRecalls: 0 };
  const central = await startHallCentral({ hall, manager: { login: 't1-manager', password: FIXTURE_PASSWORD } });
  const display = await startDisplayStation(await enrolledConfig(central, { deviceId: 'display-b', role: 'display', rendererDir: builtRenderer('display') }), {
    host: true,
    display: parseDisplayConfig({ voice: { enabled: false }, lan: { listen: { bind: '127.0.0.1', port: 0 } } }),
    sync: FAST_SYNC,
    lanPort: 0,
  });
  const kiosk = await startPlainStation(central, { deviceId: 'kiosk-b', role: 'kiosk' });
  const viaSync = await startPlainStation(central, { deviceId: 'counter-b1', role: 'counter', counterId: 't1-c1', clerk: { login: 't1-clerk', password: FIXTURE_PASSWORD } });
  const viaLan = await startPlainStation(central, { deviceId: 'counter-b2', role: 'counter', counterId: 't1-c2', clerk: { login: 't1-clerk', password: FIXTURE_PASSWORD } });
  const sender = await startLanCallSender({ hallId: central.hallId, senderId: 'counter-b2', keys: () => viaLan.lanKeys(), peers: [{ host: '127.0.0.1', port: display.role.lan?.port ?? 0 }] });
  const detach = attachLanCallFeed(viaLan.core, sender);
  const browser = await chromium.launch({ executablePath: process.env.HALL_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await page.goto(display.runtime.host?.url ?? '');
    await page.locator('[data-ready="true"]').waitFor();
    await page.evaluate(RENDER_PROBE);
    await waitUntil('kiosk numbers', () => canIssue(kiosk, 't1-qa') && canIssue(kiosk, 't1-qb'), 20_000);
    for (const c of [viaSync, viaLan]) await c.handlers['counter.open']?.({});

    const issueKnown = async (serviceId: string, count: number, counter: StationRuntime) => {
      const numbers: string[] = [];
      const queueId = serviceId === 't1-svc-1' ? 't1-qa' : 't1-qb';
      for (let i = 0; i < count; i++) {
        // The kiosk issues from leased blocks of 20; wait for the next block when one runs out.
        await waitUntil('kiosk numbers', () => canIssue(kiosk, queueId), 20_000);
        numbers.push((await kiosk.handlers['ticket.issue']?.({ serviceIds: [serviceId], kind: 'walk_in' }))?.number ?? '');
      }
      await waitUntil('counter knows the tickets', () => {
        const known = new Set(Object.values(counter.core.store.live.queue.tickets).map((t) => t.number));
        return numbers.every((n) => known.has(n));
      }, 30_000);
    };
    const measure = async (counter: StationRuntime): Promise<number> => {
      const started = Date.now();
      const ticket = await counter.handlers['counter.callNext']?.({});
      if (!ticket) throw new Error('nothing to call');
      let at: number | undefined;
      await waitUntil(`display renders ${ticket.number}`, async () => (at = await renderedAt(page, ticket.number)) !== undefined, 10_000, 2);
      await counter.handlers['counter.startServing']?.({ ticketId: ticket.id });
      await counter.handlers['counter.finish']?.({ ticketId: ticket.id });
      return (at ?? Number.NaN) - started;
    };

    // Through the central API: counter 1 (queue A only) has no LAN feed.
    await issueKnown('t1-svc-1', calls, viaSync);
    const syncSamples: number[] = [];
    for (let i = 0; i < calls; i++) syncSamples.push(await measure(viaSync));

    // Through the LAN: counter 2 calls queue B with the central API stopped.
    await issueKnown('t1-svc-2', calls, viaLan);
    await central.stop();
    const lanSamples: number[] = [];
    for (let i = 0; i < calls; i++) lanSamples.push(await measure(viaLan));

    const floor = percentile(await loopbackWsRoundTrips(Math.max(100, calls)), 99);
    return {
      calls,
      call_to_display_p50_ms: percentile(syncSamples, 50),
      call_to_display_p99_ms: percentile(syncSamples, 99),
      call_to_display_floor_p99_ms: Number(floor.toFixed(3)),
      call_to_display_floor_ratio: Number((percentile(syncSamples, 99) / floor).toFixed(1)),
      call_to_display_lan_p50_ms: percentile(lanSamples, 50),
      call_to_display_lan_p99_ms: percentile(lanSamples, 99),
    };
  } finally {
    await browser.close();
    detach();
    await sender.close();
    for (const s of [viaSync, viaLan, kiosk]) await s.stop();
    await display.stop();
    await central.close();
  }
}
