import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BigButton } from './Button';

/** Switches zh-CN ⇄ English for the whole app without a reload. */
export function LanguageToggle() {
  const { t, i18n } = useTranslation('ui');
  return (
    <BigButton variant="ghost" data-testid="language-toggle" onClick={() => void i18n.changeLanguage(i18n.language === 'en' ? 'zh-CN' : 'en')}>
      {t('language.switchTo')}
    </BigButton>
  );
}

/** Larger type and targets for elderly citizens; sets data-elderly on <html>. */
export function useElderlyMode(): [boolean, (on: boolean) => void] {
  const [on, setOn] = useState(() => document.documentElement.dataset.elderly === 'true');
  useEffect(() => {
    document.documentElement.dataset.elderly = on ? 'true' : 'false';
  }, [on]);
  return [on, setOn];
}

export function ElderlyToggle({ on, onChange }: { on: boolean; onChange: (on: boolean) => void }) {
  const { t } = useTranslation('ui');
  return (
    <BigButton variant="ghost" data-testid="elderly-toggle" aria-pressed={on} onClick={() => onChange(!on)}>
      {on ? t('elderly.off') : t('elderly.on')}
    </BigButton>
  );
}
