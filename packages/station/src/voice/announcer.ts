import type { AnnouncementLanguage } from '@hall/shared';
import type { ClipLibrary } from './clipLibrary';
import { tokensFor, type SpokenCall } from './rules/phrases';
import { chime, durationMs, encodeWav, joinWavs, silence, type Wav } from './wav';

export interface VoiceSettings {
  /** Mandarin always; English after it when the hall wants it. */
  languages: readonly AnnouncementLanguage[];
  /** How many times the sentence is said per call (the chime plays once). */
  repeat: number;
  chime: boolean;
}

export interface BuiltAnnouncement {
  wav: Buffer;
  durationMs: number;
  /** Tokens without a clip: the call is still announced, just without those words. */
  missing: string[];
}

const GAP_WORD_MS = 30;
const GAP_LANGUAGE_MS = 450;
const GAP_REPEAT_MS = 800;
const GAP_AFTER_CHIME_MS = 250;

/**
 * Joins one call's announcement from the clip library: chime, the Mandarin sentence, the
 * English one, repeated. Returns undefined only when not one clip exists (synthesiser never
 * ran): the display then still shows the call and plays the chime alone.
 */
export function buildAnnouncement(call: SpokenCall, library: ClipLibrary, settings: VoiceSettings): BuiltAnnouncement | undefined {
  const missing: string[] = [];
  const sentences: Wav[][] = [];
  for (const language of settings.languages) {
    const words: Wav[] = [];
    for (const token of tokensFor(call, language)) {
      const clip = library.get(token.language, token.text);
      if (clip) words.push(clip);
      else missing.push(`${language}:${token.text}`);
    }
    if (words.length > 0) sentences.push(words);
  }
  const format = sentences[0]?.[0]?.format;
  if (!format) return undefined;
  const parts: Wav[] = [];
  if (settings.chime) parts.push(chime(format), silence(format, GAP_AFTER_CHIME_MS));
  for (let r = 0; r < Math.max(1, settings.repeat); r++) {
    if (r > 0) parts.push(silence(format, GAP_REPEAT_MS));
    sentences.forEach((words, s) => {
      if (s > 0) parts.push(silence(format, GAP_LANGUAGE_MS));
      words.forEach((word, w) => {
        if (w > 0) parts.push(silence(format, GAP_WORD_MS));
        parts.push(word);
      });
    });
  }
  const joined = joinWavs(parts);
  return { wav: encodeWav(joined), durationMs: durationMs(joined), missing };
}
