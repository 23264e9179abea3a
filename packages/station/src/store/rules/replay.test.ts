import type { Change, LogEntry } from '@hall/shared';
import { describe, expect, it } from 'vitest';
import { confirmsByDerivation, type Derivation } from './replay';
import type { UnreflectedRow } from './unreflected';

const counter = (id: string, status: string) => ({ entity: 'counter', id, data: { state: { status } } }) as unknown as Change;
const entry = (seq: number, mutationId: string, change: Change): LogEntry => ({
  seq,
  change,
  origin: { mutationId, deviceId: 'c-1', epoch: 'e', seq },
  at: '2026-12-05T08:00:00.000Z',
});
const row = (id: string, logSeq: number | null): UnreflectedRow => ({
  own: 1,
  id,
  device_id: 'c-1',
  epoch: 'e',
  seq: 1,
  type: 'pauseCounter',
  payload: '{}',
  hlc: id,
  status: logSeq === null ? 'pending' : 'applied',
  log_seq: logSeq,
  known_at: logSeq,
  heard_rejected: 0,
  received_at: '2026-12-05T08:00:00.000Z',
});

/** Live was built as: m1 opens c1, m2 pauses it, m3 resumes it. */
const derivation = (): Derivation => [
  { id: 'm1', changes: [counter('c1', 'open')] },
  { id: 'm2', changes: [counter('c1', 'paused')] },
  { id: 'm3', changes: [counter('c1', 'open')] },
];
const unreflected = (rows: UnreflectedRow[]) => (limit: number) => rows.slice(0, limit);
const decided = unreflected([row('m1', 1), row('m2', 2), row('m3', null)]);

describe('confirmsByDerivation', () => {
  it('confirms a page that brings exactly what live applied for its oldest rows, whatever the steps in between', () => {
    const page = [entry(1, 'm1', counter('c1', 'open')), entry(2, 'm2', counter('c1', 'paused'))];
    expect(confirmsByDerivation(page, 2, derivation(), decided)).toEqual({ kind: 'confirmed', confirmedRows: 2 });
  });

  it('says the server differs when its row is not what live applied', () => {
    const page = [entry(1, 'm1', counter('c1', 'open')), entry(2, 'm2', counter('c1', 'closed'))];
    expect(confirmsByDerivation(page, 2, derivation(), decided)).toEqual({ kind: 'differs' });
  });

  it('says the server differs when a row touches an entity live did not', () => {
    const page = [entry(1, 'm1', counter('c1', 'open')), entry(2, 'm1', counter('c9', 'open'))];
    expect(confirmsByDerivation(page, 2, derivation(), decided)).toEqual({ kind: 'differs' });
  });

  it('cannot tell when the derivation is unknown or does not start with the page', () => {
    const page = [entry(2, 'm2', counter('c1', 'paused'))];
    expect(confirmsByDerivation(page, 2, undefined, decided)).toEqual({ kind: 'unknown' });
    expect(confirmsByDerivation(page, 2, derivation(), decided)).toEqual({ kind: 'unknown' });
  });

  it('says the server differs when the stored rows are not these mutations, applied within the cursor', () => {
    const page = [entry(1, 'm1', counter('c1', 'open'))];
    expect(confirmsByDerivation(page, 1, derivation(), unreflected([row('m1', null)]))).toEqual({ kind: 'differs' });
    expect(confirmsByDerivation(page, 1, derivation(), unreflected([row('m1', 5)]))).toEqual({ kind: 'differs' });
    expect(confirmsByDerivation([], 1, derivation(), decided)).toEqual({ kind: 'differs' });
  });
});
