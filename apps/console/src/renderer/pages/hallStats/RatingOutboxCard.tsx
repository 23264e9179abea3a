import { useTranslation } from 'react-i18next';
import type { StaffSession } from '../../api';
import { useGet } from '../../useApi';

interface Summary {
  configured: boolean;
  pending: number;
  delivered: number;
  failed: number;
  oldestWaiting: string | null;
}

/** Whether the hall's ratings reach the city's 好差评 platform: delivered, waiting, refused. */
export function RatingOutboxCard(props: { session: StaffSession; hallId: string }) {
  const { t } = useTranslation();
  const summary = useGet<Summary>(props.session, `/admin/halls/${props.hallId}/rating-outbox`, 60_000);
  const s = summary.data;
  if (!s) return null;
  return (
    <section className="card" data-testid="rating-outbox">
      <h3>{t('hallStats.outbox.heading')}</h3>
      <p>
        {t('hallStats.outbox.counts', { delivered: s.delivered, pending: s.pending, failed: s.failed })}
        {s.oldestWaiting && ` · ${t('hallStats.outbox.oldest', { at: new Date(s.oldestWaiting).toLocaleString() })}`}
      </p>
      {!s.configured && <p className="muted small">{t('hallStats.outbox.notConfigured')}</p>}
      {s.failed > 0 && <p className="error small">{t('hallStats.outbox.failedHint')}</p>}
    </section>
  );
}
