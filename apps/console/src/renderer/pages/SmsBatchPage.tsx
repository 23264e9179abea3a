import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Service } from '@hall/shared';
import { request } from '../api';
import type { PageProps } from '../App';
import { useGet } from '../useApi';

interface Scope {
  serviceId: string | null;
  from: string;
  to: string;
  reason: string;
}

interface Batch {
  id: string;
  serviceId: string | null;
  from: string;
  to: string;
  reason: string;
  createdAt: string;
  recipients: number;
  progress: { queued: number; sent: number; pending: number; failed: number };
  failures: { appointmentId: string; maskedName: string; date: string; slot: string; error: string }[];
}

/**
 * 批量短信 (issue 18): when the hall or a service pauses, tell its booked citizens. The batch
 * id is made here, once per scope, so a second press (or a retry after a lost answer) is the
 * same batch on the server and nobody is told twice.
 */
export function SmsBatchPage({ session, hallId }: PageProps) {
  const { t } = useTranslation();
  const services = useGet<{ services: Service[] }>(session, `/services?hallId=${hallId}`);
  const batches = useGet<{ batches: Batch[] }>(session, `/admin/halls/${hallId}/sms-batches`, 2000);
  const [scope, setScopeState] = useState<Scope>({ serviceId: null, from: '', to: '', reason: '' });
  const [batchId, setBatchId] = useState(() => crypto.randomUUID());
  const [preview, setPreview] = useState<{ recipients: number; text: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const base = `/admin/halls/${hallId}/sms-batches`;

  // Another scope is another batch: a new id, and the preview must be asked for again.
  const setScope = (next: Partial<Scope>) => {
    setScopeState({ ...scope, ...next });
    setBatchId(crypto.randomUUID());
    setPreview(undefined);
  };
  const attempt = async (action: () => Promise<void>) => {
    setBusy(true);
    try {
      await action();
      setError(undefined);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  const check = (event: FormEvent) => {
    event.preventDefault();
    void attempt(async () => setPreview(await request(session, 'POST', `${base}/preview`, scope)));
  };
  const send = () =>
    void attempt(async () => {
      await request(session, 'PUT', `${base}/${batchId}`, scope);
      batches.reload();
    });
  const serviceName = (id: string | null) => (id === null ? t('smsBatch.wholeHall') : (services.data?.services.find((s) => s.id === id)?.name.zh ?? id));

  return (
    <div data-testid="sms-batch-page">
      <h2>{t('smsBatch.heading')}</h2>
      <p className="muted">{t('smsBatch.hint')}</p>
      <form className="card toolbar" onSubmit={check} data-testid="batch-form">
        <label>
          {t('smsBatch.service')}{' '}
          <select value={scope.serviceId ?? ''} onChange={(e) => setScope({ serviceId: e.target.value || null })} data-testid="batch-service">
            <option value="">{t('smsBatch.wholeHall')}</option>
            {(services.data?.services ?? []).map((s) => (
              <option key={s.id} value={s.id}>
                {s.name.zh}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('smsBatch.from')} <input type="date" value={scope.from} onChange={(e) => setScope({ from: e.target.value })} required data-testid="batch-from" />
        </label>
        <label>
          {t('smsBatch.to')} <input type="date" value={scope.to} min={scope.from} onChange={(e) => setScope({ to: e.target.value })} required data-testid="batch-to" />
        </label>
        <label className="grow">
          {t('smsBatch.reason')}{' '}
          <input value={scope.reason} onChange={(e) => setScope({ reason: e.target.value })} placeholder={t('smsBatch.reasonHint')} required minLength={2} maxLength={40} data-testid="batch-reason" />
        </label>
        <button type="submit" disabled={busy} data-testid="batch-check">
          {t('smsBatch.check')}
        </button>
      </form>
      {error && <p className="error">{t('common.error', { message: error })}</p>}
      {preview && (
        <section className="card" data-testid="batch-preview">
          <p>
            <strong data-testid="batch-reach">{preview.recipients > 0 ? t('smsBatch.reach', { count: preview.recipients }) : t('smsBatch.none')}</strong>
          </p>
          <p className="muted">{t('smsBatch.preview')}</p>
          <blockquote data-testid="batch-text">{preview.text}</blockquote>
          <button type="button" className="primary" disabled={busy || preview.recipients === 0} onClick={send} data-testid="batch-send">
            {busy ? t('smsBatch.sending') : t('smsBatch.send')}
          </button>
        </section>
      )}
      <section className="card">
        <h3>{t('smsBatch.history')}</h3>
        {(batches.data?.batches ?? []).length === 0 && <p className="muted">{t('smsBatch.noBatches')}</p>}
        {(batches.data?.batches ?? []).map((b) => (
          <div key={b.id} className="card" data-testid={`batch-${b.id}`}>
            <p>
              <strong>{serviceName(b.serviceId)}</strong> · {b.from} – {b.to} · {b.reason} · <span className="muted">{new Date(b.createdAt).toLocaleString()}</span>
            </p>
            <p data-testid="batch-progress">
              <progress max={Math.max(b.recipients, 1)} value={b.progress.sent + b.progress.failed} />{' '}
              {t('smsBatch.progressLine', { total: b.recipients, sent: b.progress.sent, pending: b.progress.pending, failed: b.progress.failed })}
            </p>
            {b.failures.length > 0 && (
              <table className="table" data-testid="batch-failures">
                <caption>{t('smsBatch.failures')}</caption>
                <thead>
                  <tr>
                    <th>{t('smsBatch.citizen')}</th>
                    <th>{t('smsBatch.slot')}</th>
                    <th>{t('smsBatch.error')}</th>
                  </tr>
                </thead>
                <tbody>
                  {b.failures.map((f) => (
                    <tr key={f.appointmentId}>
                      <td>{f.maskedName}</td>
                      <td>
                        {f.date} {f.slot}
                      </td>
                      <td>{f.error}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
        ))}
      </section>
    </div>
  );
}
