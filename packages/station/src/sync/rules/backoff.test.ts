import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff';

const policy = { baseMs: 250, maxMs: 30_000 };

describe('the station backoff', () => {
  it('doubles per failure up to the cap, jittered into the upper half of each step', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelay(policy, n, () => 1))).toEqual([500, 1000, 2000, 4000]);
    expect(backoffDelay(policy, 3, () => 0)).toBe(1000);
    expect(backoffDelay(policy, 3, () => 0.5)).toBe(1500);
    expect(backoffDelay(policy, 40, () => 1)).toBe(30_000);
  });

  it("waits at least as long as the server's Retry-After", () => {
    expect(backoffDelay(policy, 1, () => 1, 10)).toBe(10_000);
    expect(backoffDelay(policy, 10, () => 1, 1)).toBe(30_000);
  });
});
