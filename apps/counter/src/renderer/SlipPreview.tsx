import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useDesk } from './state';

/** The printed slip as the printer got it (SVG from the same layout): proof on screen, and the fallback when the printer fails. */
export function SlipPreview() {
  const { t } = useTranslation();
  const { slip, showSlip } = useDesk();
  useEffect(() => {
    if (!slip) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' || e.key === 'Enter') useDesk.getState().showSlip(undefined);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [slip]);
  if (!slip) return null;
  return (
    <div className="modal-backdrop" onClick={() => showSlip(undefined)}>
      <div className="modal slip-modal" data-testid="slip-preview" data-kind={slip.kind} data-printed={slip.printed} onClick={(e) => e.stopPropagation()}>
        <h2>{t('serving.slip')}</h2>
        <p className={slip.printed ? 'ok' : 'error'}>{slip.printed ? t('serving.printed') : t('serving.notPrinted', { error: slip.printerError ?? '' })}</p>
        <img className="slip-image" alt={slip.kind} src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(slip.preview)}`} />
        <div className="modal-actions">
          <button className="btn primary" data-testid="slip-close" onClick={() => showSlip(undefined)}>
            {t('serving.slipClose')}
          </button>
        </div>
      </div>
    </div>
  );
}
