// Child process for the kill -9 test: commits mutations as fast as it can until killed.
import { StationCore } from '../core';
import { LocalRejection } from '../store/store';
import { testCatalogue } from './hall';
import { seededRandom } from './random';

const [file, seedText] = process.argv.slice(2);
if (!file || !seedText) throw new Error('usage: crashWorker <db file> <seed>');
const random = seededRandom(Number(seedText));
const core = StationCore.open(file, { deviceId: 'crash-1', hallId: 'hall-1', role: 'counter', counterId: 'c1' });
if (!core.store.catalogue) {
  const catalogue = testCatalogue();
  catalogue.queues = catalogue.queues.map((q) => ({ ...q, numberDigits: 4 }));
  core.store.replaceCatalogue(catalogue);
}
const day = core.today();
core.store.addNumberBlock({ queueId: 'qA', day, start: 1, end: 9999 });
process.stdout.write('ready\n');

for (;;) {
  const roll = random();
  try {
    if (roll < 0.5) core.issueTicket({ serviceIds: ['s1'], kind: 'walk_in' });
    else {
      const state = core.store.live.queue.counters.c1?.state.status ?? 'closed';
      if (state === 'closed') core.counterCommand('openCounter');
      else if (state === 'open') core.callNext();
      else if (state === 'serving') {
        const held = core.store.live.queue.counters.c1?.state;
        if (held?.status === 'serving') core.ticketCommand('finish', held.ticketId);
      } else core.counterCommand('resumeCounter');
    }
  } catch (error) {
    if (!(error instanceof LocalRejection)) throw error;
  }
}
