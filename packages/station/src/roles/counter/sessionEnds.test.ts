import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CentralApiError, type CentralFailure } from '../../central/client';
import { openCounterDb } from './counterDb';
import { SessionEndQueue, type SessionEnd } from './sessionEnds';

const end = (n: number): SessionEnd => ({ keyId: 'ck-1', session: `s-${n}`, endedAt: `2026-12-05T0${n}:00:00.000Z` });
const failure = (kind: CentralFailure['kind']) => new CentralApiError({ kind, status: kind === 'refused' ? 403 : 0, code: kind === 'refused' ? 'forbidden' : 'network', message: kind });

describe('clerk sign-outs waiting for the central API', () => {
  const file = () => join(mkdtempSync(join(tmpdir(), 'session-ends-')), 'counter.db');

  it('keeps those the API cannot take now, across a restart, and sends them oldest first once it can', async () => {
    const path = file();
    const away = new SessionEndQueue(openCounterDb(path), () => Promise.reject(failure('unavailable')));
    await away.add(end(2));
    await away.add(end(1));
    await away.add(end(1));
    expect(away.pending()).toBe(2);

    const sent: SessionEnd[] = [];
    const back = new SessionEndQueue(openCounterDb(path), (e) => {
      sent.push(e);
      return Promise.resolve();
    });
    await back.flush();
    expect(sent).toEqual([end(1), end(2)]);
    expect(back.pending()).toBe(0);
  });

  it('drops one the API refuses (sending it again would be refused again) and goes on with the rest', async () => {
    const sent: string[] = [];
    const queue = new SessionEndQueue(openCounterDb(file()), (e) => {
      if (e.session === 's-1') return Promise.reject(failure('refused'));
      sent.push(e.session);
      return Promise.resolve();
    });
    await queue.add(end(1));
    await queue.add(end(2));
    expect(sent).toEqual(['s-2']);
    expect(queue.pending()).toBe(0);
  });
});
