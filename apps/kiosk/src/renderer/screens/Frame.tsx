import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { BigButton } from '@hall/ui';
import { useFlow } from '../state/flow';
import { useSession } from '../state/session';

/** Title, content, and the back / home buttons every screen but home has. */
export function Frame({
  title,
  children,
  footer,
  testId,
  onBack,
}: {
  title: string;
  children: ReactNode;
  footer?: ReactNode;
  testId: string;
  /** Replaces "previous screen" (the questions step back one answer at a time). */
  onBack?: () => void;
}) {
  const { t } = useTranslation();
  const back = useSession((s) => s.back);
  const error = useSession((s) => s.error);
  const { finish } = useFlow();
  return (
    <section className="screen" data-testid={`screen-${testId}`}>
      <h1 className="screen-title">{title}</h1>
      <div className="screen-body">{children}</div>
      {error && (
        <div className="screen-error" role="alert">
          {t(error)}
        </div>
      )}
      <footer className="screen-footer">
        <BigButton variant="ghost" onClick={onBack ?? back} data-testid="nav-back">
          ‹ {t('nav.back')}
        </BigButton>
        <div className="screen-footer-main">{footer}</div>
        <BigButton variant="ghost" onClick={finish} data-testid="nav-home">
          {t('nav.home')}
        </BigButton>
      </footer>
    </section>
  );
}
