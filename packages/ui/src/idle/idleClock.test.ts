import { describe, expect, it } from 'vitest';
import { IdleClock } from './idleClock';

describe('idle clock', () => {
  it('warns with a countdown, expires once, and is reset by activity', () => {
    let now = 0;
    const clock = new IdleClock({ timeoutMs: 60_000, warnMs: 15_000, now: () => now });
    now = 44_999;
    expect(clock.phase()).toEqual({ phase: 'active' });
    now = 45_000;
    expect(clock.phase()).toEqual({ phase: 'warning', secondsLeft: 15 });
    now = 59_001;
    expect(clock.phase()).toEqual({ phase: 'warning', secondsLeft: 1 });
    clock.activity();
    expect(clock.phase()).toEqual({ phase: 'active' });
    now += 60_000;
    expect(clock.phase()).toEqual({ phase: 'expired' });
    // Activity after expiry does not revive the old session; only restart() does.
    clock.activity();
    expect(clock.phase()).toEqual({ phase: 'expired' });
    clock.restart();
    expect(clock.phase()).toEqual({ phase: 'active' });
  });
});
