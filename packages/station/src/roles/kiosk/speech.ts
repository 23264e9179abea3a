import type { AnnouncementClip, AnnouncementLanguage } from '@hall/shared';
import { espeakWav } from '../../voice/espeak';
import { durationMs, encodeWav, parseWav, trimSilence } from '../../voice/wav';

export type PromptSynthesizer = (text: string, language: AnnouncementLanguage) => Promise<Buffer>;

/** Prompts are few and repeat all day: the last this many are kept ready. */
const CACHE_SIZE = 64;

/**
 * Spoken prompts for the kiosk screens. Chromium on the hall PCs has no speech voices, so the
 * station speaks them with espeak-ng (offline, as the display does) and the renderer plays the
 * WAV. Only prompt texts and ticket numbers come here, never a name or an ID number.
 */
export class PromptVoice {
  private readonly cache = new Map<string, Promise<AnnouncementClip>>();

  constructor(private readonly synthesize: PromptSynthesizer = (text, language) => espeakWav(text, language)) {}

  speak(spoken: string, language: AnnouncementLanguage): Promise<AnnouncementClip> {
    // The text goes to espeak-ng as an argument: a leading "-" would be read as an option (-w writes a file).
    const text = spoken.replace(/^[\s-]+/, '');
    if (text === '') return Promise.reject(new Error('nothing to say'));
    const key = `${language}\0${text}`;
    const hit = this.cache.get(key);
    if (hit) {
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit;
    }
    const clip = this.synthesize(text, language).then((bytes) => {
      const wav = trimSilence(parseWav(bytes));
      return { mimeType: 'audio/wav' as const, dataBase64: encodeWav(wav).toString('base64'), durationMs: durationMs(wav) };
    });
    // A failed synthesis is not cached: the next screen change tries again.
    clip.catch(() => this.cache.delete(key));
    this.cache.set(key, clip);
    for (const old of this.cache.keys()) {
      if (this.cache.size <= CACHE_SIZE) break;
      this.cache.delete(old);
    }
    return clip;
  }
}
