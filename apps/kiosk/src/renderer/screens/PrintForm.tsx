import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { A4PrintOutcome } from '@hall/shared';
import { BigButton, useRoleStation } from '@hall/ui';
import { useHall } from '../state/catalogue';

/**
 * 打印申请表: the submitted form on the kiosk's A4 printer, for the citizen to sign. A fault
 * is said in plain words and the button stays: the station keeps the form for the session.
 */
export function PrintForm({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  const station = useRoleStation<'kiosk'>();
  const hasPrinter = useHall((s) => s.devices?.a4Printer !== undefined && s.devices.a4Printer.state !== 'absent');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<A4PrintOutcome>();
  if (!hasPrinter) return null;
  const print = async () => {
    setBusy(true);
    try {
      setOutcome(await station.call('kiosk.printForm', { caseId }));
    } catch {
      setOutcome({ printed: false, problem: 'error' });
    } finally {
      setBusy(false);
    }
  };
  const problem = outcome?.problem ?? 'error';
  return (
    <div className="print-form">
      {outcome && (
        <div className={outcome.printed ? 'notice ok' : 'notice warn'} role="status" data-testid="form-print-status" data-printed={outcome.printed} data-problem={outcome.problem}>
          {outcome.printed
            ? t('printForm.printed')
            : t('printForm.failed', { problem: t(`printForm.problems.${problem}`, { defaultValue: t('printForm.problems.error') }) })}
        </div>
      )}
      {!outcome?.printed && (
        <BigButton disabled={busy} onClick={() => void print()} data-testid="print-form">
          {busy ? t('printForm.printing') : outcome ? t('printForm.retry') : t('printForm.button')}
        </BigButton>
      )}
    </div>
  );
}
