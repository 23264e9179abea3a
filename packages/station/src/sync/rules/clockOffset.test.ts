import { describe, expect, it } from 'vitest';
import { ClockOffsetEstimator } from './clockOffset';

describe('clock offset estimate', () => {
  it('takes the midpoint of the round trip: a station 5 minutes fast is -300000 ms off', () => {
    const clock = new ClockOffsetEstimator();
    expect(clock.offsetMs).toBeUndefined();
    expect(clock.record({ sentAt: 1_300_000, receivedAt: 1_300_100, serverTime: 1_000_050 })).toBe(true);
    expect(clock.offsetMs).toBe(-300_000);
  });

  it('ignores answers that took too long to say anything about the clock', () => {
    const clock = new ClockOffsetEstimator({ maxRttMs: 2_000 });
    expect(clock.record({ sentAt: 0, receivedAt: 5_000, serverTime: 90_000 })).toBe(false);
    expect(clock.record({ sentAt: 10, receivedAt: 5, serverTime: 90_000 })).toBe(false);
    expect(clock.offsetMs).toBeUndefined();
  });

  it('smooths small jitter but follows a clock that was stepped', () => {
    const clock = new ClockOffsetEstimator({ smoothing: 0.5, stepMs: 10_000 });
    clock.record({ sentAt: 0, receivedAt: 0, serverTime: 1_000 });
    clock.record({ sentAt: 0, receivedAt: 0, serverTime: 2_000 });
    expect(clock.offsetMs).toBe(1_500);
    clock.record({ sentAt: 0, receivedAt: 0, serverTime: 120_000 });
    expect(clock.offsetMs).toBe(120_000);
  });
});
