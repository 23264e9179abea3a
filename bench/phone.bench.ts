// `npm run bench -- phone [--followers=2000] [--calls=5]`: follow pages connected to one
// central API instance (SQLite), a counter calling; how long from the call's push to each
// page's update (follow_push_p99_ms, target < 500) and what the connections cost in memory.
import { setMaxListeners } from 'node:events';
import { followLinkSigner } from '@hall/station/roles/kiosk';
import { localDay } from '@hall/shared';
import { citizenKey, hallDevices, startTestServer, forgetCatalogue } from '@hall/server/testing';

function option(args: string[], name: string, fallback: number): number {
  const found = args.find((a) => a.startsWith(`--${name}=`));
  return found ? Number(found.slice(name.length + 3)) : fallback;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

/** One follow page: its stream, and when each update arrived. */
async function openFollower(url: string, arrivals: number[][], index: number, controller: AbortController): Promise<void> {
  const response = await fetch(url, { signal: controller.signal });
  const reader = response.body!.getReader();
  arrivals[index] = [];
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        // A chunk holds whole events here (each is written at once): one arrival per data line.
        const events = new TextDecoder().decode(value).split('\n').filter((line) => line.startsWith('data: ')).length;
        for (let i = 0; i < events; i++) arrivals[index]!.push(performance.now());
      }
    } catch {
      // aborted at the end
    }
  })();
}

export async function runBenchmark(args: string[]): Promise<Record<string, number>> {
  const followers = option(args, 'followers', 2000);
  const calls = option(args, 'calls', 5);
  const server = await startTestServer('sqlite', '');
  const base = await server.app.listen({ port: 0, host: '127.0.0.1' });
  const manager = await server.login('t1-manager');
  const { api, device, newId } = hallDevices(() => server, () => manager);
  const kiosk = await device('bench-kiosk', 'kiosk');
  const counter = await device('bench-counter', 'counter');
  const day = localDay(Date.now(), 'Asia/Shanghai');
  // Four digits, so one queue holds the day's thousands of tickets (the fixture has three).
  await server.db.database.db.updateTable('queues').set({ number_digits: 4 }).where('id', '=', 't1-qa').execute();
  forgetCatalogue(server.db.database.db, 't1-hall');
  const tickets: string[] = [];
  const total = followers + calls;
  for (let start = 0; start < total; start += 200) {
    const count = Math.min(200, total - start);
    const lease = await api('POST', '/sync/leases', kiosk.credential, { queueId: 't1-qa', day, count });
    const block = Array.from({ length: count }, (_, i) => ({ ticketId: newId(), sequence: lease.body.block.start + i }));
    for (let i = 0; i < block.length; i += 50) {
      await kiosk.pushAll(block.slice(i, i + 50).map((t) => ({ type: 'issueTicket', payload: { ...t, queueId: 't1-qa', serviceIds: ['t1-svc-1'], kind: 'walk_in' } })));
    }
    tickets.push(...block.map((t) => t.ticketId));
  }
  await counter.push('closeCounter', { counterId: 't1-c1' });
  await counter.push('openCounter', { counterId: 't1-c1', staffId: 't1-clerk' });

  const sign = followLinkSigner(await citizenKey(server.db.database.db, server.app.hall.dataKeys));
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const rssBefore = process.memoryUsage().rss;
  const controller = new AbortController();
  // One signal ends every page at the end; each stream listens on it.
  setMaxListeners(0, controller.signal);
  const arrivals: number[][] = [];
  // The last `followers` tickets are followed; the first `calls` are the ones called.
  const followed = tickets.slice(calls);
  for (let i = 0; i < followed.length; i += 100) {
    await Promise.all(followed.slice(i, i + 100).map((id, k) => openFollower(`${base}/api/v1/follow/${sign(id)}/events`, arrivals, i + k, controller)));
  }
  const settle = async () => {
    // Quiet for 300 ms: every page has what the last change sent.
    let last = -1;
    for (;;) {
      const seen = arrivals.reduce((n, a) => n + a.length, 0);
      if (seen === last) return;
      last = seen;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  };
  await settle();
  const connected = server.app.hall.hub.connectionCount();
  global.gc?.();
  const heapPerConnectionKb = (process.memoryUsage().heapUsed - heapBefore) / 1024 / followed.length;
  const rssMb = (process.memoryUsage().rss - rssBefore) / 1024 / 1024;

  const latencies: number[] = [];
  for (let c = 0; c < calls; c++) {
    const ticketId = tickets[c]!;
    const before = arrivals.map((a) => a.length);
    const t0 = performance.now();
    await counter.push('callSpecific', { counterId: 't1-c1', ticketId, staffId: 't1-clerk' });
    const deadline = t0 + 10_000;
    while (arrivals.some((a, i) => a.length === before[i]) && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    arrivals.forEach((a, i) => latencies.push(a.length > before[i]! ? a[before[i]!]! - t0 : Infinity));
    await counter.push('startServing', { counterId: 't1-c1', ticketId, staffId: 't1-clerk' });
    await counter.push('finish', { counterId: 't1-c1', ticketId, staffId: 't1-clerk' });
    await settle();
  }
  controller.abort();
  await server.dispose();
  const sorted = latencies.sort((a, b) => a - b);
  return {
    followers: followed.length,
    calls,
    updates_measured: sorted.length,
    updates_missed: sorted.filter((l) => l === Infinity).length,
    follow_push_p50_ms: Math.round(percentile(sorted, 50)),
    follow_push_p99_ms: Math.round(percentile(sorted, 99)),
    follow_push_max_ms: Math.round(sorted.at(-1) ?? NaN),
    api_heap_per_connection_kb: Math.round(heapPerConnectionKb * 10) / 10,
    process_rss_growth_mb: Math.round(rssMb),
    station_sockets: connected,
  };
}
