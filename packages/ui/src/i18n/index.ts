import i18next, { type i18n, type Resource } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { uiMessages } from './messages';

export { uiMessages };
export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/**
 * One i18next instance per app: zh-CN first, English as fallback-free second language.
 * i18next + react-i18next because they are the most widely used and maintained i18n pair
 * for React, handle plurals and interpolation, and switch language without reloading.
 * Each app passes its own messages (namespace "app"); the shared widgets use "ui".
 */
export function createAppI18n(app: Record<Language, Record<string, unknown>>, language: Language = 'zh-CN'): i18n {
  const instance = i18next.createInstance();
  const resources: Resource = {};
  for (const lng of LANGUAGES) resources[lng] = { app: app[lng], ui: uiMessages[lng] } as Resource[string];
  void instance.use(initReactI18next).init({
    resources,
    lng: language,
    fallbackLng: 'zh-CN',
    ns: ['app', 'ui'],
    defaultNS: 'app',
    interpolation: { escapeValue: false },
    initImmediate: false,
    returnNull: false,
    showSupportNotice: false,
  });
  return instance;
}

/** Picks the text of a catalogue LocalizedText for the current language. */
export function localized(text: { zh: string; en?: string | undefined }, language: string): string {
  return language.startsWith('en') ? (text.en ?? text.zh) : text.zh;
}
