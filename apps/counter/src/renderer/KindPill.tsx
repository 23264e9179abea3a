import { useTranslation } from 'react-i18next';
import type { Ticket } from '@hall/shared';

/** 咨询号 are told apart at a glance: a consultation needs a different talk than a case. */
export function KindPill({ kind }: { kind: Ticket['kind'] }) {
  const { t } = useTranslation();
  if (kind !== 'consultation') return null;
  return (
    <span className="pill pill-consultation" data-testid="kind-consultation">
      {t('kinds.consultation')}
    </span>
  );
}
