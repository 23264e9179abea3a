import { describe, expect, it } from 'vitest';
import { estimateWait } from './estimate';
import { emptyQueueState } from './state';
import { TestHall, makeTestRules } from './testHall';

describe('estimateWait', () => {
  function hallWithHistory(serviceSeconds: number[], rules = makeTestRules()) {
    const hall = new TestHall(emptyQueueState(), { rules });
    hall.do({ type: 'openCounter', counterId: 'c1' });
    serviceSeconds.forEach((seconds, i) => {
      hall.do({ type: 'issueTicket', ticketId: `done${i}`, queueId: 'qa', serviceIds: ['hz1'], kind: 'walk_in' });
      hall.do({ type: 'callNext', counterId: 'c1' });
      hall.do({ type: 'startServing', counterId: 'c1' });
      hall.advance(seconds);
      hall.do({ type: 'finish', counterId: 'c1' });
    });
    return hall;
  }

  it('knows nothing before any service finished', () => {
    const hall = new TestHall(emptyQueueState());
    expect(estimateWait(hall.state, 'qa', hall.ctx)).toEqual({ ahead: 0, openCounters: 0 });
  });

  it('multiplies the people ahead by the mean of the latest services, divided by open counters', () => {
    const hall = hallWithHistory([900, 100, 200, 300], makeTestRules({ waitEstimateSampleSize: 3 }));
    for (const id of ['w1', 'w2', 'w3', 'w4']) {
      hall.do({ type: 'issueTicket', ticketId: id, queueId: 'qa', serviceIds: ['hz1'], kind: 'walk_in' });
      hall.advance(1);
    }
    // Mean of the last 3 (100, 200, 300) = 200 s; one open counter.
    expect(estimateWait(hall.state, 'qa', hall.ctx)).toEqual({ ahead: 4, openCounters: 1, averageServiceSeconds: 200, waitSeconds: 800 });
    expect(estimateWait(hall.state, 'qa', hall.ctx, 'w3')).toMatchObject({ ahead: 2, waitSeconds: 400 });
    hall.do({ type: 'openCounter', counterId: 'c4' });
    hall.do({ type: 'pauseCounter', counterId: 'c4', reason: '午休' });
    expect(estimateWait(hall.state, 'qa', hall.ctx).openCounters).toBe(1);
    hall.do({ type: 'resumeCounter', counterId: 'c4' });
    expect(estimateWait(hall.state, 'qa', hall.ctx)).toMatchObject({ openCounters: 2, waitSeconds: 400 });
    hall.do({ type: 'closeCounter', counterId: 'c1' });
    hall.do({ type: 'closeCounter', counterId: 'c4' });
    expect(estimateWait(hall.state, 'qa', hall.ctx)).toEqual({ ahead: 4, openCounters: 0, averageServiceSeconds: 200 });
  });
});
