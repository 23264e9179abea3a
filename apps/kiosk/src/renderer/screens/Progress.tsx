import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isCaseProgressProblem, localDay, rejectionCode, type CaseProgress, type CaseProgressProblem } from '@hall/shared';
import { localized, useRoleStation } from '@hall/ui';
import { useHall } from '../state/catalogue';
import { useSession } from '../state/session';
import { CardIcon } from './CardIcon';
import { Frame } from './Frame';

/**
 * 办件进度查询. The citizen scans the acceptance receipt's QR (one case) or places the ID
 * card / shows the residence code (all of their cases here); the station answers from the
 * hall's cases it holds, so this works while the data centre is away.
 */
export function Progress() {
  const { t } = useTranslation();
  const station = useRoleStation<'kiosk'>();
  const receipt = useSession((s) => s.receipt);
  const handle = useSession((s) => s.citizen?.handle);
  const [result, setResult] = useState<({ cases: CaseProgress[] } | { problem: CaseProgressProblem }) & { by: 'receipt' | 'citizen' }>();

  // Whichever came last (a scan, a card) is looked up; the other is dropped.
  useEffect(() => {
    if (receipt === undefined && handle === undefined) {
      setResult(undefined);
      return;
    }
    const by = receipt !== undefined ? 'receipt' : 'citizen';
    let live = true;
    const s = useSession.getState();
    s.set({ busy: true, error: undefined });
    station.call('kiosk.caseProgress', receipt !== undefined ? { receipt: receipt.code } : { citizenHandle: handle ?? '' }).then(
      (answer) => {
        if (!live) return;
        useSession.getState().set({ busy: false });
        setResult({ ...answer, by });
      },
      (error: unknown) => {
        if (!live) return;
        const code = rejectionCode(error);
        if (isCaseProgressProblem(code)) {
          useSession.getState().set({ busy: false });
          setResult({ problem: code, by });
        } else useSession.getState().set({ busy: false, error: 'errors.generic' });
      },
    );
    return () => {
      live = false;
    };
  }, [receipt, handle, station]);

  // Back from the answer: ready for the next receipt or card, the citizen forgotten.
  const clear = () => {
    if (handle !== undefined) void station.call('kiosk.forget', { handle }).catch(() => undefined);
    useSession.getState().set({ receipt: undefined, citizen: undefined });
    setResult(undefined);
  };

  if (result) {
    return (
      <Frame title={t('progress.title')} testId="progress-result" onBack={clear}>
        {'problem' in result ? (
          <div className="notice warn progress-problem" role="alert" data-testid="progress-problem" data-problem={result.problem}>
            {t(`progress.problem.${result.problem}`)}
          </div>
        ) : result.cases.length === 0 ? (
          <div className="notice warn progress-problem" role="status" data-testid="progress-none">
            {t('progress.none')}
          </div>
        ) : (
          <>
            {result.by === 'citizen' && (
              <p className="progress-count" data-testid="progress-count">
                {t('progress.count', { count: result.cases.length })}
              </p>
            )}
            <ul className="progress-list">
              {result.cases.map((c) => (
                <ProgressCard key={c.caseId} progress={c} />
              ))}
            </ul>
          </>
        )}
      </Frame>
    );
  }

  return (
    <Frame title={t('progress.title')} testId="progress">
      <p className="progress-prompt">{t('progress.prompt')}</p>
      <div className="progress-ways">
        <div className="progress-way" data-testid="progress-by-receipt">
          <QrIcon />
          <div className="card-text">{t('progress.byReceipt')}</div>
          <div className="muted">{t('progress.byReceiptHint')}</div>
        </div>
        <div className="progress-way" data-testid="progress-by-card">
          <CardIcon />
          <div className="card-text">{t('progress.byCard')}</div>
          <div className="muted">{t('progress.byCardHint')}</div>
        </div>
      </div>
    </Frame>
  );
}

/** One case: what, since when, where it stands in plain words, and what to do next. */
function ProgressCard({ progress: p }: { progress: CaseProgress }) {
  const { t, i18n } = useTranslation();
  const catalogue = useHall((s) => s.catalogue);
  const zone = catalogue?.hall.timeZone ?? 'Asia/Shanghai';
  const service = catalogue?.services.find((s) => s.id === p.serviceId);
  const day = (iso: string) => localDay(Date.parse(iso), zone);
  const status = statusText(p, t);
  const tone = p.overdue ? 'late' : p.step === 'collect' || p.step === 'supplement' ? 'act' : p.step === 'refused' || p.step === 'closed' ? 'stop' : 'calm';
  return (
    <li className={`progress-card tone-${tone}`} data-testid={`progress-case-${p.caseId}`} data-step={p.step} data-overdue={p.overdue ? 'true' : 'false'}>
      <div className="progress-service">{service ? localized(service.name, i18n.language) : p.serviceId}</div>
      <div className="progress-meta muted">
        {t(p.step === 'submitted' ? 'progress.submittedOn' : 'progress.acceptedOn', { date: day(p.since) })}
        {p.number && <span> · {t('progress.number', { number: p.number })}</span>}
        {p.maskedName && <span> · {p.maskedName}</span>}
      </div>
      <div className="progress-status" data-testid="progress-status">
        {status}
      </div>
      {p.missing && (
        <ul className="progress-missing" data-testid="progress-missing">
          {p.missing.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      )}
      {p.papersAt && (
        <div className="progress-detail" data-testid="progress-papers" data-papers={p.papersAt}>
          {t('progress.papersAt', {
            place: p.papersHall ? t('progress.papersInHall', { hall: localized(p.papersHall, i18n.language), place: t(`progress.papers.${p.papersAt}`) }) : t(`progress.papers.${p.papersAt}`),
            date: day(p.papersSince ?? p.since),
          })}
        </div>
      )}
      {p.refusalReason && <div className="progress-detail">{t('progress.reason', { reason: p.refusalReason })}</div>}
      {p.dueAt && (
        <div className={p.overdue ? 'progress-due overdue' : 'progress-due'} data-testid="progress-due">
          {p.overdue ? t(`progress.overdue.${p.step}`, { date: day(p.dueAt) }) : t(`progress.due.${p.step}`, { date: day(p.dueAt) })}
        </div>
      )}
    </li>
  );
}

function statusText(p: CaseProgress, t: (key: string, options?: Record<string, unknown>) => string): string {
  if (p.step === 'collect' || p.step === 'delivered') {
    return t(`progress.step.${p.step}.${p.where ?? 'counter'}`, { courier: p.courier ?? '', tracking: p.trackingNumber ?? '' });
  }
  return t(`progress.step.${p.step}`);
}

/** A QR code, drawn: the hall PCs have no emoji font. */
function QrIcon() {
  return (
    <svg className="card-icon" viewBox="0 0 40 40" aria-hidden="true">
      {[
        [2, 2],
        [26, 2],
        [2, 26],
      ].map(([x, y]) => (
        <g key={`${x}-${y}`}>
          <rect x={x} y={y} width="12" height="12" fill="none" stroke="currentColor" strokeWidth="3" />
          <rect x={(x ?? 0) + 4} y={(y ?? 0) + 4} width="4" height="4" fill="currentColor" />
        </g>
      ))}
      <rect x="20" y="20" width="5" height="5" fill="currentColor" />
      <rect x="30" y="24" width="5" height="5" fill="currentColor" />
      <rect x="24" y="32" width="5" height="5" fill="currentColor" />
      <rect x="34" y="34" width="4" height="4" fill="currentColor" />
      <rect x="18" y="4" width="4" height="8" fill="currentColor" />
    </svg>
  );
}
