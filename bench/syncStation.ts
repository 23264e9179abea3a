// A station process for the poke bench: each hall PC is its own process, as in a hall.
// Low water 20 of blocks of 200: a refill (one more server round trip) every ~180 issues, not every issue.
// argv: <config.json>. IPC in: {cmd:'issue'}, 'exit'. IPC out: 'ready', {issued, at}, {seen, at}.
import { readFileSync } from 'node:fs';
import { parseStationConfig, startStation } from '@hall/station';
import { eventually } from '../tests/sync/harness';

const [configFile] = process.argv.slice(2);
if (!configFile) throw new Error('usage: syncStation <config.json>');
const config = parseStationConfig(JSON.parse(readFileSync(configFile, 'utf8')), configFile);
const runtime = await startStation(config, { sync: { pollIntervalMs: 60_000, leaseBlockSize: 200, leaseLowWater: 20 } });
const stamp = () => performance.timeOrigin + performance.now();

if (config.role === 'kiosk') {
  await eventually(() => runtime.core.store.catalogue !== undefined && runtime.core.store.remainingNumbers('t1-qb', runtime.core.today()) >= 20, 30_000, 20);
} else {
  await eventually(() => runtime.sync.status().online, 30_000, 20);
  runtime.core.store.onLiveChange((changes) => {
    const at = stamp();
    for (const { change } of changes) if (change.entity === 'ticket') process.send?.({ seen: change.id, at });
  });
}
process.on('message', (message: unknown) => {
  if (message === 'exit') {
    void runtime.stop().then(() => process.exit(0));
    return;
  }
  if ((message as { cmd?: string }).cmd === 'issue') {
    const at = stamp();
    const ticket = runtime.core.issueTicket({ serviceIds: ['t1-svc-2'], kind: 'walk_in' });
    process.send?.({ issued: ticket.id, at });
  }
});
process.send?.('ready');
