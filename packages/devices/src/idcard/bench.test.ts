import { describe, expect, it } from 'vitest';
import { measureIdCardReadOverhead } from './bench';

describe('measureIdCardReadOverhead', () => {
  it('reads real cards over a pty and reports consistent figures', async () => {
    const result = await measureIdCardReadOverhead(3);
    expect(result.iterations).toBe(3);
    expect(result.meanReadMs).toBeGreaterThan(0);
    expect(result.meanRawExchangeMs).toBeGreaterThan(0);
    expect(result.meanOverheadMs).toBeCloseTo(result.meanReadMs - result.meanRawExchangeMs, 2);
    expect(result.p95OverheadMs).toBeGreaterThanOrEqual(result.overheadMs);
  });
});
