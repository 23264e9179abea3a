import { describe, expect, it } from 'vitest';
import { predictedCallOrder, priorityGroupForAge } from './ordering';
import { findCounter } from './setup';
import { emptyQueueState } from './state';
import { TestHall, makeTestRules } from './testHall';

describe('priorityGroupForAge', () => {
  it('joins the group with the highest age threshold reached', () => {
    const rules = makeTestRules({
      priorityGroups: [
        { id: 'senior', name: { zh: '老年人' }, minAge: 60 },
        { id: 'very-old', name: { zh: '高龄老人' }, minAge: 80 },
        { id: 'military', name: { zh: '军人' } },
      ],
    });
    expect(priorityGroupForAge(rules, 59)).toBeUndefined();
    expect(priorityGroupForAge(rules, 60)?.id).toBe('senior');
    expect(priorityGroupForAge(rules, 85)?.id).toBe('very-old');
  });
});

describe('predictedCallOrder', () => {
  it('lists the waiting tickets in the order call-next would take them', () => {
    const hall = new TestHall(emptyQueueState());
    hall.do({ type: 'openCounter', counterId: 'c1' });
    const issue = (id: string, extra: object = {}) => {
      hall.do({ type: 'issueTicket', ticketId: id, queueId: 'qa', serviceIds: ['hz1'], kind: 'walk_in', ...extra });
      hall.advance(30);
    };
    issue('n1');
    issue('n2');
    issue('n3');
    issue('p1', { priorityGroupId: 'elderly' });
    issue('p2', { priorityGroupId: 'elderly' });
    issue('x', { serviceIds: ['hz2'] });
    const counter = findCounter(hall.setup, 'c1')!;
    const predicted = predictedCallOrder(hall.state, counter, '2026-03-02', hall.nowMs, hall.rules).map((c) => c.ticket.id);
    expect(predicted).toEqual(['p1', 'n1', 'n2', 'p2', 'n3', 'x']);
    const actual: string[] = [];
    for (let i = 0; i < predicted.length; i++) {
      const [event] = hall.do({ type: 'callNext', counterId: 'c1' });
      if (event?.type === 'ticketCalled') actual.push(event.ticketId);
      hall.do({ type: 'startServing', counterId: 'c1' });
      hall.do({ type: 'finish', counterId: 'c1' });
    }
    expect(actual).toEqual(predicted);
    expect(predictedCallOrder(hall.state, counter, '2026-03-02', hall.nowMs, hall.rules, 2)).toEqual([]);
  });
});
