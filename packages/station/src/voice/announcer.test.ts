import { mkdtempSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildAnnouncement } from './announcer';
import { ClipLibrary, type ClipSynthesizer } from './clipLibrary';
import { allTokens } from './rules/phrases';
import { durationMs, encodeWav, parseWav, type PcmFormat } from './wav';

const format: PcmFormat = { sampleRate: 16000, channels: 1, bitsPerSample: 16 };
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'voice-'));
  dirs.push(dir);
  return dir;
}

/** A tone 100 ms long per character, so joined lengths are predictable. */
const toneSynth = (calls: string[]): ClipSynthesizer => (token) => {
  calls.push(`${token.language}:${token.text}`);
  const frames = 1600 * Array.from(token.text).length;
  const data = Buffer.alloc(frames * 2);
  for (let i = 0; i < frames; i++) data.writeInt16LE(Math.round(8000 * Math.sin(i / 5)), i * 2);
  return Promise.resolve(encodeWav({ format, data }));
};

describe('clip library and announcements', () => {
  it('generates each clip once, then serves it from the cache dir without the synthesiser', async () => {
    const cacheDir = tempDir();
    const calls: string[] = [];
    const first = new ClipLibrary({ cacheDir, synthesize: toneSynth(calls) });
    const tokens = allTokens(['zh'], ['3']);
    const report = await first.ensure(tokens);
    expect(report).toEqual({ generated: tokens.length, failed: [] });
    expect(readdirSync(cacheDir).filter((f) => f.endsWith('.wav'))).toHaveLength(tokens.length);

    const refuse: ClipSynthesizer = () => Promise.reject(new Error('synthesiser must not run'));
    const second = new ClipLibrary({ cacheDir, synthesize: refuse });
    expect(await second.ensure(tokens)).toEqual({ generated: 0, failed: [] });
    expect(second.get('zh', '号窗口')?.data.length).toBe(first.get('zh', '号窗口')?.data.length);
  });

  it('reports failed tokens and still announces with the rest', async () => {
    const failing: ClipSynthesizer = (token) => (token.text === '办理' ? Promise.reject(new Error('boom')) : toneSynth([])(token));
    const library = new ClipLibrary({ cacheDir: tempDir(), synthesize: failing });
    const report = await library.ensure(allTokens(['zh'], ['3']));
    expect(report.failed.map((f) => f.token.text)).toEqual(['办理']);
    const built = buildAnnouncement({ ticketNumber: 'A023', counterNumber: '3', kind: 'call' }, library, { languages: ['zh'], repeat: 1, chime: false });
    expect(built?.missing).toEqual(['zh:办理']);
  });

  it('joins chime, sentence and repeats into one WAV of the expected length', async () => {
    const library = new ClipLibrary({ cacheDir: tempDir(), synthesize: toneSynth([]) });
    await library.ensure(allTokens(['zh', 'en'], ['3']));
    const call = { ticketNumber: 'A023', counterNumber: '3', kind: 'call' as const };
    const once = buildAnnouncement(call, library, { languages: ['zh'], repeat: 1, chime: false });
    const twice = buildAnnouncement(call, library, { languages: ['zh'], repeat: 2, chime: false });
    const withChime = buildAnnouncement(call, library, { languages: ['zh'], repeat: 1, chime: true });
    const bilingual = buildAnnouncement(call, library, { languages: ['zh', 'en'], repeat: 1, chime: false });
    if (!once || !twice || !withChime || !bilingual) throw new Error('announcement missing');
    expect(twice.durationMs).toBeCloseTo(once.durationMs * 2 + 800, 0);
    expect(withChime.durationMs).toBeCloseTo(once.durationMs + 1000 + 250, 0);
    expect(bilingual.durationMs).toBeGreaterThan(once.durationMs + 450);
    expect(durationMs(parseWav(once.wav))).toBeCloseTo(once.durationMs, 3);
  });

  it('prefers a clip recorded by the hall over a generated one', async () => {
    const recordedDir = tempDir();
    mkdirSync(join(recordedDir, 'zh'));
    const recorded = Buffer.alloc(800 * 2, 0x40);
    writeFileSync(join(recordedDir, 'zh', '请.wav'), encodeWav({ format, data: recorded }));
    const library = new ClipLibrary({ cacheDir: tempDir(), recordedDir, synthesize: toneSynth([]) });
    await library.ensure(allTokens(['zh'], ['1']));
    expect(library.get('zh', '请')?.data.length).toBeLessThanOrEqual(recorded.length);
    expect(library.get('zh', '请')?.data.length).not.toBe(1600 * 2);
  });

  it('speaks real clips with espeak-ng (Mandarin voice cmn)', async () => {
    const library = new ClipLibrary({ cacheDir: tempDir() });
    const report = await library.ensure([
      { language: 'zh', text: '号窗口' },
      { language: 'en', text: 'ticket' },
    ]);
    expect(report.failed).toEqual([]);
    const clip = library.get('zh', '号窗口');
    expect(clip?.format.bitsPerSample).toBe(16);
    expect(durationMs(clip ?? { format, data: Buffer.alloc(0) })).toBeGreaterThan(200);
  });
});
