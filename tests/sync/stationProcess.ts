// A station in its own process, so fault tests can kill -9, SIGSTOP and SIGCONT it.
// argv: <config.json> <seed> <clockSkewMs>; IPC: 'stop-activity' → 'stopped', 'exit'.
import { readFileSync } from 'node:fs';
import { parseStationConfig, startStation } from '../../packages/station/src/index';
import { seededRandom } from '../../packages/station/src/testing/random';
import { startActivity } from './activity';

const [configFile, seedText, skewText] = process.argv.slice(2);
if (!configFile || !seedText || skewText === undefined) throw new Error('usage: stationProcess <config> <seed> <skewMs>');
const skew = Number(skewText);
const config = parseStationConfig(JSON.parse(readFileSync(configFile, 'utf8')), configFile);
const runtime = await startStation(config, {
  now: () => Date.now() + skew,
  requestTimeoutMs: 1500,
  sync: { pollIntervalMs: 300, backoffBaseMs: 50, backoffMaxMs: 1000, stallMs: 4000 },
});
const activity = startActivity(runtime, seededRandom(Number(seedText)), 60);
process.on('message', (message) => {
  if (message === 'stop-activity') {
    activity.stop();
    process.send?.('stopped');
  } else if (message === 'status') {
    process.send?.({ status: runtime.sync.status() });
  } else if (message === 'exit') {
    void runtime.stop().then(() => process.exit(0));
  }
});
process.send?.('ready');
