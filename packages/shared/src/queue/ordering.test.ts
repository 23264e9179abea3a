import { describe, expect, it } from 'vitest';
import { priorityGroupForAge } from './ordering';
import { makeTestRules } from './testHall';

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
