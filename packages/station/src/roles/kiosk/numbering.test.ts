import { afterEach, describe, expect, it } from 'vitest';
import { testCatalogue } from '../../testing/hall';
import { removeTestKiosks, testKiosk, TEST_KIOSK_DAY } from './testKiosk';

const DAY = TEST_KIOSK_DAY;
afterEach(removeTestKiosks);

/** A kiosk whose hall has a certificate pickup queue (领证号) beside the test hall's queues. */
function kiosk() {
  const catalogue = testCatalogue();
  catalogue.queues.push({ id: 'qP', hallId: 'hall-1', prefix: 'L', name: { zh: '领证' }, serviceIds: ['s1'], kinds: ['pickup'], numberDigits: 3 });
  const { core, role } = testKiosk({ catalogue, guard: false });
  return { core, role };
}

describe('kiosk tickets numbered from the lease', () => {
  it('burns a re-leased number already on a ticket for a pickup ticket too, as the core does for any ticket', async () => {
    const { core, role } = kiosk();
    const pickup = async () => {
      // A refusal throws (LocalRejection) and fails the test with its code.
      const issued = await role.issue({ serviceIds: ['s1'], kind: 'pickup' });
      return issued.issued.ticket;
    };
    core.store.addNumberBlock({ queueId: 'qP', day: DAY, start: 2, end: 20 });
    const first = await pickup();
    expect(first).toMatchObject({ queueId: 'qP', number: 'L002', kind: 'pickup' });
    // A block the server leased again after a wipe: it holds 2, which is on a ticket already.
    core.store.addNumberBlock({ queueId: 'qP', day: DAY, start: 1, end: 3 });
    expect((await pickup()).number).toBe('L001');
    expect((await pickup()).number).toBe('L003');
    role.close();
    core.close();
  });
});
