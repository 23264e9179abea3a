import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HistoryEntry } from '@hall/shared';
import { useRoleStation } from '@hall/ui';
import { rejectionText } from './rejection';
import { useDesk } from './state';

export function HistoryScreen() {
  const { t } = useTranslation();
  const station = useRoleStation<'counter'>();
  const { run, showSlip, openCaseFile } = useDesk();
  const [entries, setEntries] = useState<HistoryEntry[]>();
  useEffect(() => {
    void run(() => station.call('history.today', {})).then((list) => list && setEntries(list));
  }, [station, run]);
  const reprint = async (printId: string) => {
    const slip = await run(() => station.call('print.reprint', { printId }));
    if (slip) showSlip(slip);
  };
  const time = (iso: string | undefined) => (iso ? new Date(iso).toLocaleTimeString('zh-CN', { hour: '2-digit', minute: '2-digit' }) : '');
  return (
    <main className="history panel" data-testid="history">
      <h2>{t('history.heading')}</h2>
      {entries && entries.length === 0 && <p className="muted">{t('history.none')}</p>}
      <table>
        <thead>
          <tr>
            <th>{t('history.ticket')}</th>
            <th>{t('history.time')}</th>
            <th>{t('history.cases')}</th>
            <th>{t('history.rating')}</th>
            <th>{t('history.slips')}</th>
          </tr>
        </thead>
        <tbody>
          {entries?.map((e) => (
            <tr key={e.ticket.id} data-testid={`history-${e.ticket.number}`}>
              <td className="num">{e.ticket.number}</td>
              <td>
                {time(e.ticket.servingStartedAt)}–{time(e.ticket.finishedAt)}
              </td>
              <td>
                {e.cases.map((c) => (
                  <div key={c.caseId}>
                    {c.serviceName} · {t(`caseStatus.${c.status}`)}
                    {c.caseNumber ? ` · ${c.caseNumber}` : ''}{' '}
                    <button className="btn small" data-testid={`history-case-${c.caseId}`} onClick={() => openCaseFile(c.caseId)}>
                      {t('history.open')}
                    </button>
                    {c.centralRejection && (
                      <div className="error" data-testid="history-rejection">
                        {rejectionText(t, c.centralRejection)}
                      </div>
                    )}
                  </div>
                ))}
              </td>
              <td data-testid="history-rating">
                {e.rating ? t(`rating.${e.rating}`) : '—'}
                {e.ratingDefaulted ? t('history.defaulted') : ''}
                {e.ratingRejection && <div className="error">{rejectionText(t, e.ratingRejection)}</div>}
              </td>
              <td>
                {e.prints.map((p) => (
                  <button key={p.id} className="btn small" data-testid={`reprint-${p.kind}`} onClick={() => void reprint(p.id)}>
                    {t('serving.reprint')} {t(`history.kinds.${p.kind}`)}
                  </button>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </main>
  );
}
