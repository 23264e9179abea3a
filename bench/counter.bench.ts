// `npm run bench -- counter [--calls N]`: from the clerk's key press (F1, 顺呼) in the
// counter screen until the call is committed in the station's SQLite store with its
// outbox entry (queued for sync). Real central API, kiosk and counter stations, the built
// counter renderer in Debian's Chromium; the key press time is taken in the page, the
// commit time in the station, on the same clock.
import { chromium } from '@playwright/test';
import { householdServiceWithTree, issueAtKiosk, signIn, startCounterHall } from '../tests/e2e/counter/counterHall';
import { waitUntil } from '../tests/e2e/harness/stations';

function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** Remembers, in the page, when F1 went down (capture phase: before the app sees it). */
const KEY_PROBE = `(() => {
  window.__f1 = [];
  window.addEventListener('keydown', (e) => { if (e.key === 'F1') window.__f1.push(Date.now()); }, true);
})()`;

export async function runBenchmark(args: string[]): Promise<Record<string, number>> {
  const callsArg = args.indexOf('--calls');
  const calls = callsArg >= 0 ? Number(args[callsArg + 1]) : 60;
  const hall = await startCounterHall(['counter.2']);
  const browser = await chromium.launch({
    executablePath: process.env.HALL_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    const station = hall.counters.get('counter.2');
    if (!station) throw new Error('no counter');
    const core = station.runtime.core;
    const service = householdServiceWithTree(hall.kiosk);
    const page = await browser.newPage();
    await signIn(page, station, 'clerk2');
    await page.evaluate(KEY_PROBE);
    const commits: number[] = [];
    core.store.onLiveChange((changes) => {
      if (changes.some(({ change }) => change.entity === 'ticket' && change.data.status === 'called')) commits.push(Date.now());
    });
    // BENCH_SAMPLES=1 prints every sample and the station-side share (engine + SQLite commit).
    const inner: number[] = [];
    if (process.env.BENCH_SAMPLES) {
      const original = core.callNext.bind(core);
      core.callNext = () => {
        const t = performance.now();
        try {
          return original();
        } finally {
          inner.push(Math.round(performance.now() - t));
        }
      };
    }
    const samples: number[] = [];
    let sequence = 100;
    for (let done = 0; done < calls; ) {
      // Tickets come from the kiosk in batches; waiting for them is not measured.
      const batch = Math.min(10, calls - done);
      const ids: string[] = [];
      for (let i = 0; i < batch; i++) ids.push((await issueAtKiosk(hall.kiosk, service, sequence++, false)).ticket.id);
      await waitUntil('counter knows the batch', () => ids.every((id) => core.store.live.queue.tickets[id] !== undefined), 20_000);
      for (let i = 0; i < batch; i++, done++) {
        await page.waitForSelector('[data-testid="current-ticket"][data-status="none"]');
        const before = commits.length;
        await page.keyboard.press('F1');
        await waitUntil('call committed', () => commits.length > before, 5000, 1);
        const pressed = (await page.evaluate('window.__f1[window.__f1.length - 1]')) as number;
        const committed = commits[before] ?? Number.NaN;
        samples.push(committed - pressed);
        const held = Object.values(core.store.live.queue.tickets).find((t) => t.counterId === core.identity.counterId && t.status === 'called');
        if (!held) throw new Error('the call did not hold a ticket');
        const outbox = core.store.outbox().filter((row) => row.type === 'callNext' && (row.payload as { ticketId?: string }).ticketId === held.id);
        if (outbox.length !== 1) throw new Error('the call is not queued for sync exactly once');
        await station.runtime.handlers['counter.startServing']?.({ ticketId: held.id });
        await station.runtime.handlers['counter.finish']?.({ ticketId: held.id });
      }
    }
    if (process.env.BENCH_SAMPLES) process.stderr.write(`${samples.join(' ')}\nstation callNext: ${inner.join(' ')}\n`);
    return {
      calls: samples.length,
      call_next_p50_ms: Math.round(percentile(samples, 50) * 10) / 10,
      call_next_p99_ms: Math.round(percentile(samples, 99) * 10) / 10,
      call_next_max_ms: Math.round(Math.max(...samples) * 10) / 10,
    };
  } finally {
    await browser.close();
    await hall.close();
  }
}
