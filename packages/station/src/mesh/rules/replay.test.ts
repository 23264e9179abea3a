import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CounterWindow, REPLAY_WINDOW, ReplayGuard } from './replay';

describe('counter window', () => {
  it('accepts new counters in any order within the window and refuses repeats and the too old', () => {
    const window = new CounterWindow();
    expect(window.accept(5)).toBe('ok');
    expect(window.accept(3)).toBe('ok');
    expect(window.accept(5)).toBe('replayed');
    expect(window.accept(3)).toBe('replayed');
    expect(window.accept(5 + REPLAY_WINDOW)).toBe('ok');
    expect(window.accept(5)).toBe('too_old');
    expect(window.accept(6)).toBe('ok');
    expect(window.accept(6)).toBe('replayed');
  });

  it('agrees with a model that remembers every counter', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5000 }), { maxLength: 400 }), (counters) => {
        const window = new CounterWindow();
        const seen = new Set<number>();
        let highest = -1;
        for (const counter of counters) {
          const expected = counter > highest ? 'ok' : counter <= highest - REPLAY_WINDOW ? 'too_old' : seen.has(counter) ? 'replayed' : 'ok';
          expect(window.accept(counter)).toBe(expected);
          if (expected === 'ok') seen.add(counter);
          highest = Math.max(highest, counter);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('replay guard', () => {
  it('starts afresh at a higher boot and refuses lower boots', () => {
    const guard = new ReplayGuard();
    expect(guard.check('kiosk-1', 4, 10)).toBe('ok');
    expect(guard.check('kiosk-1', 4, 10)).toBe('replayed');
    expect(guard.check('kiosk-1', 5, 0)).toBe('ok');
    expect(guard.check('kiosk-1', 4, 11)).toBe('old_boot');
    expect(guard.check('counter-2', 1, 10)).toBe('ok');
  });

  it('keeps memory bounded by forgetting the longest silent sender', () => {
    const guard = new ReplayGuard(3);
    for (const sender of ['a', 'b', 'c', 'd']) guard.check(sender, 1, 0);
    expect(guard.size).toBe(3);
    guard.check('b', 1, 1);
    guard.check('e', 1, 0);
    expect(guard.check('b', 1, 1)).toBe('replayed');
    expect(guard.size).toBe(3);
  });
});
