import { useTranslation } from 'react-i18next';

/** Text in the console's language (English falls back to Chinese) and lists joined the way that language does. */
export function useLocalized() {
  const { i18n } = useTranslation();
  const en = i18n.language.startsWith('en');
  return {
    text: (t: { zh: string; en?: string }) => (en ? (t.en ?? t.zh) : t.zh),
    list: (items: readonly string[]) => items.join(en ? ', ' : '、'),
  };
}
