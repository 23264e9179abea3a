import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { create } from 'zustand';
import type { AnnouncementClip } from '@hall/shared';
import { useRoleStation } from '@hall/ui';
import type { Screen } from './session';

/** The last prompt: which screen it was for and how far it got (shown as data attributes for tests and support). */
export interface PromptState {
  key: string;
  state: 'requested' | 'played' | 'failed';
  /** Why it failed (no audio device, synthesiser missing …), for the support log. */
  problem?: string;
}

export const useVoice = create<{
  on: boolean;
  last: PromptState | undefined;
  setOn(on: boolean): void;
  report(last: PromptState): void;
}>()((set) => ({
  on: false,
  last: undefined,
  setOn: (on) => set({ on }),
  report: (last) => set({ last }),
}));

let playing: HTMLAudioElement | undefined;

function play(clip: AnnouncementClip): Promise<void> {
  playing?.pause();
  const audio = new Audio(`data:${clip.mimeType};base64,${clip.dataBase64}`);
  playing = audio;
  return audio.play();
}

/** Digits one by one, so "A023" is said "A 0 2 3" and not "A twenty-three". */
function spelled(number: string): string {
  return number.split('').join(' ');
}

/**
 * Speaks each screen's key prompt (and, on the ticket screen, the number) when the voice is
 * on. The station synthesises offline (Chromium has no voices here); a newer screen
 * interrupts an older prompt. Prompts never include a name or an ID number.
 */
export function useSpokenPrompts(screen: Screen, ticketNumber: string | undefined): void {
  const station = useRoleStation<'kiosk'>();
  const { t, i18n } = useTranslation();
  const on = useVoice((s) => s.on);
  useEffect(() => {
    if (!on) {
      playing?.pause();
      return;
    }
    const language = i18n.language === 'en' ? 'en' : 'zh';
    const text = screen === 'ticket' && ticketNumber ? t('voice.ticket', { number: spelled(ticketNumber) }) : t(`voice.${screen}`);
    const key = screen === 'ticket' && ticketNumber ? `ticket:${ticketNumber}` : screen;
    let current = true;
    const { report } = useVoice.getState();
    report({ key, state: 'requested' });
    station
      .call('kiosk.speak', { text, language })
      .then((clip) => (current ? play(clip) : undefined))
      .then(
        () => current && report({ key, state: 'played' }),
        (error: unknown) => current && report({ key, state: 'failed', problem: error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 120) : 'error' }),
      );
    return () => {
      current = false;
    };
  }, [station, on, screen, ticketNumber, t, i18n.language]);
}
