import { describe, expect, it } from 'vitest';
import type { AnnouncementClip, PendingAnnouncement } from '@hall/shared';
import { AudioQueue, type AnnouncementEntry } from './audioQueue';

const clip: AnnouncementClip = { mimeType: 'audio/wav', dataBase64: '', durationMs: 10 };
const pending = (key: string): PendingAnnouncement => ({ key, ticketNumber: key, counterNumber: '1', kind: 'call', text: `请${key}号到1号窗口办理` });

/** A player whose clips end when the test says so: proves a new call waits for the current one. */
function harness(
  clipFor: (key: string) => Promise<AnnouncementClip | null> = () => Promise.resolve(clip),
  doneFails: () => boolean = () => false,
) {
  const playing: { key: string; end: () => void }[] = [];
  const done: string[] = [];
  let last: readonly AnnouncementEntry[] = [];
  let current = '';
  const queue = new AudioQueue({
    clip: (key) => {
      current = key;
      return clipFor(key);
    },
    done: (key, outcome) => {
      if (doneFails()) return Promise.reject(new Error('unavailable'));
      done.push(`${key}:${outcome}`);
      return Promise.resolve();
    },
    play: () => new Promise<void>((resolve) => playing.push({ key: current, end: resolve })),
    volume: () => 1,
    onChange: (entries) => (last = entries),
  });
  const tick = () => new Promise((r) => setTimeout(r, 0));
  return { queue, playing, done, tick, states: () => last.map((e) => `${e.key}:${e.state}`) };
}

describe('announcement queue', () => {
  it('never cuts off the call being spoken and says each key once', async () => {
    const h = harness();
    h.queue.offer([pending('A001')]);
    await h.tick();
    h.queue.offer([pending('A001'), pending('A002')]);
    await h.tick();
    expect(h.playing.map((p) => p.key)).toEqual(['A001']);
    expect(h.states()).toEqual(['A001:playing', 'A002:queued']);
    h.playing[0]?.end();
    await h.tick();
    await h.tick();
    expect(h.playing.map((p) => p.key)).toEqual(['A001', 'A002']);
    h.playing[1]?.end();
    await h.tick();
    await h.tick();
    expect(h.done).toEqual(['A001:played', 'A002:played']);
    h.queue.offer([pending('A002')]);
    await h.tick();
    expect(h.playing).toHaveLength(2);
  });

  it('re-queues a call whose clip could not be fetched while the station was away', async () => {
    let away = true;
    const h = harness(() => (away ? Promise.reject(new Error('unavailable')) : Promise.resolve(clip)));
    h.queue.offer([pending('A001')]);
    await h.tick();
    await h.tick();
    expect(h.states()).toEqual(['A001:failed']);
    expect(h.done).toEqual([]);
    away = false;
    h.queue.offer([pending('A001')]);
    await h.tick();
    await h.tick();
    h.playing[0]?.end();
    await h.tick();
    await h.tick();
    expect(h.done).toEqual(['A001:played']);
  });

  it('reports an outcome the station missed (restart) once it is back, without saying the call again', async () => {
    let away = false;
    const h = harness(undefined, () => away);
    h.queue.offer([pending('A001')]);
    await h.tick();
    away = true;
    h.playing[0]?.end();
    await h.tick();
    await h.tick();
    expect(h.done).toEqual([]);
    away = false;
    h.queue.offer([pending('A001')]);
    await h.tick();
    expect(h.done).toEqual(['A001:played']);
    expect(h.playing).toHaveLength(1);
  });
});
