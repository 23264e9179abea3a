import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AnnouncementLanguage } from '@hall/shared';
import { espeakWav } from './espeak';
import type { ClipToken } from './rules/phrases';
import { encodeWav, parseWav, trimSilence, type Wav } from './wav';

/** Makes the WAV bytes of one token; espeak-ng in production, anything that speaks WAV in tests. */
export type ClipSynthesizer = (token: ClipToken) => Promise<Buffer>;

export const espeakSynthesizer: ClipSynthesizer = (token) => espeakWav(token.text, token.language);

export interface ClipLibraryOptions {
  /** Cache of generated clips: `<station dataDir>/voice-clips`. */
  cacheDir: string;
  /**
   * Clips recorded by the hall, `<dir>/<zh|en>/<text>.wav` (请.wav, A.wav, 号窗口.wav …):
   * used instead of generated ones wherever present.
   */
  recordedDir?: string;
  synthesize?: ClipSynthesizer;
  /** Parallel synthesiser processes; the hall PCs have two cores. */
  concurrency?: number;
}

/** Version of the cache layout, trimming and speech rate: bump to regenerate every hall's clips. */
const CACHE_VERSION = 'v2-175wpm';

function cacheName(token: ClipToken): string {
  return createHash('sha1').update(`${CACHE_VERSION}\0${token.language}\0${token.text}`).digest('hex').slice(0, 20) + '.wav';
}

/**
 * Clips for every token a call can need, generated once and kept on disk, so announcing
 * needs neither the network nor (after the first start) the synthesiser. Files are written
 * under a temporary name and renamed, so a power cut never leaves a half clip in the cache.
 */
export class ClipLibrary {
  private readonly clips = new Map<string, Wav>();
  private readonly synthesize: ClipSynthesizer;

  constructor(private readonly options: ClipLibraryOptions) {
    this.synthesize = options.synthesize ?? espeakSynthesizer;
    mkdirSync(options.cacheDir, { recursive: true });
  }

  private key(token: ClipToken): string {
    return `${token.language}:${token.text}`;
  }

  private recordedPath(token: ClipToken): string | undefined {
    if (!this.options.recordedDir || /[/\\]|^\.\.?$/.test(token.text)) return undefined;
    const path = join(this.options.recordedDir, token.language, `${token.text}.wav`);
    return existsSync(path) ? path : undefined;
  }

  /** Loads or generates every token; returns the tokens that failed (the rest still work). */
  async ensure(tokens: readonly ClipToken[]): Promise<{ generated: number; failed: { token: ClipToken; error: string }[] }> {
    const missing: ClipToken[] = [];
    for (const token of tokens) {
      if (this.clips.has(this.key(token))) continue;
      const recorded = this.recordedPath(token);
      const cached = join(this.options.cacheDir, cacheName(token));
      const file = recorded ?? (existsSync(cached) ? cached : undefined);
      if (file) {
        try {
          this.clips.set(this.key(token), recorded ? trimSilence(parseWav(readFileSync(file))) : parseWav(readFileSync(file)));
          continue;
        } catch {
          // An unreadable cached clip is regenerated below; a bad recording falls back too.
        }
      }
      missing.push(token);
    }
    const failed: { token: ClipToken; error: string }[] = [];
    let generated = 0;
    const queue = [...missing];
    const worker = async () => {
      for (let token = queue.shift(); token; token = queue.shift()) {
        try {
          const wav = trimSilence(parseWav(await this.synthesize(token)));
          if (wav.data.length === 0) throw new Error('the synthesiser produced silence');
          const file = join(this.options.cacheDir, cacheName(token));
          writeFileSync(`${file}.tmp`, encodeWav(wav));
          renameSync(`${file}.tmp`, file);
          this.clips.set(this.key(token), wav);
          generated++;
        } catch (error) {
          failed.push({ token, error: error instanceof Error ? error.message : String(error) });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, this.options.concurrency ?? 2) }, worker));
    return { generated, failed };
  }

  get(language: AnnouncementLanguage, text: string): Wav | undefined {
    return this.clips.get(`${language}:${text}`);
  }

  get size(): number {
    return this.clips.size;
  }
}
