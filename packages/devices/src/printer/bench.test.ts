import { describe, expect, it } from 'vitest';
import { measureTicketRender } from './bench';

describe('measureTicketRender', () => {
  it('reports percentiles over the requested number of renders', () => {
    const timing = measureTicketRender(20);
    expect(timing.iterations).toBe(20);
    expect(timing.p50Ms).toBeGreaterThan(0);
    expect(timing.p99Ms).toBeGreaterThanOrEqual(timing.p50Ms);
    expect(() => measureTicketRender(0)).toThrow(RangeError);
  });
});
