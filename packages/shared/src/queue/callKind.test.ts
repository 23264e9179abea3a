import { describe, expect, it } from 'vitest';
import { callKindOf, isRecall } from './callKind';

describe('callKindOf', () => {
  it('is a recall only after a recall since the latest call, not for a re-call after a miss', () => {
    expect(callKindOf({})).toBe('call');
    expect(callKindOf({ recallCount: 0 })).toBe('call');
    expect(callKindOf({ recallCount: 2 })).toBe('recall');
    const recalledAfterMiss = { callCount: 2, recallCount: 0 }; // the engine restarts recallCount on a new call
    expect(isRecall(recalledAfterMiss)).toBe(false);
  });
});
