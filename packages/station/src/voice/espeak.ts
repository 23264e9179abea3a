import { spawn } from 'node:child_process';
import type { AnnouncementLanguage } from '@hall/shared';

/** espeak-ng voices per announcement language; `cmn` reads Latin letters the English way (A → "ei"). */
export const ESPEAK_VOICES: Record<AnnouncementLanguage, string> = { zh: 'cmn', en: 'en' };

export interface EspeakOptions {
  /** The executable; `espeak-ng` on PATH by default. */
  command?: string;
  /** Words per minute (175, espeak's default): joined per-syllable clips already sound deliberate, slower drags. */
  speed?: number;
  timeoutMs?: number;
}

/** Says `text` with espeak-ng and returns the WAV bytes (read from stdout, no temp files). */
export function espeakWav(text: string, language: AnnouncementLanguage, options: EspeakOptions = {}): Promise<Buffer> {
  const args = ['-v', ESPEAK_VOICES[language], '-s', String(options.speed ?? 175), '--stdout', text];
  return new Promise((resolve, reject) => {
    const child = spawn(options.command ?? 'espeak-ng', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`espeak-ng timed out saying a ${language} clip`));
    }, options.timeoutMs ?? 15_000);
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`espeak-ng could not start: ${error.message}`));
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(Buffer.concat(chunks));
      else reject(new Error(`espeak-ng exited with ${code}: ${stderr.trim().slice(0, 200)}`));
    });
  });
}
