import { describe, expect, it } from 'vitest';
import { touchedBy } from './events';
import { emptyQueueState } from './state';
import { TestHall } from './testHall';

describe('touchedBy', () => {
  it('names the tickets and counters an event changes', () => {
    const hall = new TestHall(emptyQueueState());
    hall.do({ type: 'openCounter', counterId: 'c1' });
    hall.do({ type: 'issueTicket', ticketId: 't1', queueId: 'qa', serviceIds: ['hz1'], kind: 'walk_in' });
    hall.do({ type: 'callNext', counterId: 'c1' });
    const before = hall.state;
    const [missed] = (() => {
      hall.advance(60);
      return hall.do({ type: 'markMissed', counterId: 'c1' });
    })();
    expect(touchedBy(missed!, before)).toEqual({ ticketIds: ['t1'], counterIds: ['c1'] });
    expect(touchedBy(hall.events[1]!, emptyQueueState())).toEqual({ ticketIds: ['t1'], counterIds: [] });
  });
});
