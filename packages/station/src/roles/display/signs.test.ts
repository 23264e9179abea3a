import { afterEach, describe, expect, it } from 'vitest';
import type { DisplayState } from '@hall/shared';
import { CounterSigns, counterSignText, openCallScreens, type OpenedScreens } from './signs';

let opened: OpenedScreens | undefined;
let signs: CounterSigns | undefined;
afterEach(async () => {
  await signs?.close();
  await opened?.close();
  opened = undefined;
  signs = undefined;
});

function state(counters: DisplayState['counters'], latest: DisplayState['latest'] = null): DisplayState {
  return {
    hallName: '测试大厅',
    settings: { orientation: 'auto', names: 'masked', englishLine: false, volume: 1, historySize: 5 },
    latest,
    recent: latest ? [latest] : [],
    counters,
    queues: [],
    notices: [],
    announcements: [],
    online: true,
  };
}

async function until(check: () => boolean): Promise<void> {
  const end = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > end) throw new Error('signs did not update');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('counter signs and strip screens over the Onbon bus simulator (pty pair)', () => {
  it('shows the called number, 为您服务 and 暂停服务, and the latest call on the strip', async () => {
    opened = await openCallScreens({ kind: 'simulated' }, [1, 2, 3, 9]);
    const simulator = opened?.simulator;
    if (!opened || !simulator) throw new Error('no simulated bus');
    signs = new CounterSigns({ screen: opened.screen, counterSigns: { c1: 1, c2: 2, c3: 3 }, strips: [9], retryMs: 50 });
    const latest = {
      key: 't1@1',
      ticketId: 't1',
      ticketNumber: 'A023',
      counterId: 'c1',
      counterNumber: '1',
      kind: 'call' as const,
      calledAt: '2026-03-02T02:00:00.000Z',
      source: 'lan' as const,
    };
    signs.update(
      state(
        [
          { id: 'c1', number: '1', name: '1号窗口', status: 'serving', servingTicketNumber: 'A023' },
          { id: 'c2', number: '2', name: '2号窗口', status: 'open' },
          { id: 'c3', number: '3', name: '3号窗口', status: 'paused', reason: '午休' },
        ],
        latest,
      ),
    );
    await until(() => simulator.textAt(9) !== undefined && simulator.textAt(3) !== undefined);
    expect([1, 2, 3, 9].map((a) => simulator.textAt(a))).toEqual(['请A023号到1号窗口', '为您服务', '暂停服务', '请A023号到1号窗口']);

    const before = simulator.requestCount;
    signs.update(
      state(
        [
          { id: 'c1', number: '1', name: '1号窗口', status: 'serving', servingTicketNumber: 'A023' },
          { id: 'c2', number: '2', name: '2号窗口', status: 'paused', reason: '系统维护' },
          { id: 'c3', number: '3', name: '3号窗口', status: 'paused', reason: '午休' },
        ],
        latest,
      ),
    );
    await until(() => simulator.textAt(2) === '暂停服务');
    // Only the sign whose text changed was sent a frame.
    expect(simulator.requestCount - before).toBe(1);
  });

  it('says 暂停服务 for a closed counter and 为您服务 while serving an unknown number', () => {
    expect(counterSignText({ id: 'c', number: '4', name: '', status: 'closed' })).toBe('暂停服务');
    expect(counterSignText({ id: 'c', number: '4', name: '', status: 'serving' })).toBe('为您服务');
  });
});
