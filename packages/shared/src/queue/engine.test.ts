import { describe, expect, it } from 'vitest';
import { handleUntrustedQueueCommand } from './engine';
import { touchedBy } from './events';
import { emptyQueueState } from './state';
import { TestHall } from './testHall';

describe('handleUntrustedQueueCommand', () => {
  it('turns malformed input into a rejection that names the field, leaving the state alone', () => {
    const hall = new TestHall(emptyQueueState());
    const state = hall.state;
    expect(handleUntrustedQueueCommand(state, { type: 'issueTicket', ticketId: 't1', queueId: 'qa', serviceIds: [], kind: 'walk_in' }, hall.ctx)).toEqual({
      ok: false,
      rejection: { code: 'invalid_command', message: expect.stringContaining('serviceIds') },
    });
    expect(handleUntrustedQueueCommand(state, { type: 'explode' }, hall.ctx)).toMatchObject({ ok: false, rejection: { code: 'invalid_command' } });
    expect(handleUntrustedQueueCommand(state, { type: 'transfer', counterId: 'c1' }, hall.ctx)).toMatchObject({
      ok: false,
      rejection: { code: 'invalid_command', message: expect.stringContaining('names a counter or a queue') },
    });
    expect(state).toEqual(emptyQueueState());
    const ok = handleUntrustedQueueCommand(state, { type: 'openCounter', counterId: 'c1' }, hall.ctx);
    expect(ok).toMatchObject({ ok: true, events: [{ type: 'counterOpened', counterId: 'c1' }] });
    expect(state).toEqual(emptyQueueState());
  });
});

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
