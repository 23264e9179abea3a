import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseWork, PrintRecord } from '@hall/shared';
import { useRoleStation } from '@hall/ui';
import { useCaseCall } from './caseCall';

/** While the department's answer is awaited the case is asked for again now and then: the answer comes by pull. */
const CONSULT_REFRESH_MS = 3000;

/**
 * Beside 受理 / 不予受理: 容缺受理 when the service allows it (the missing required materials
 * named as pending, printed on the receipt), and 受理咨询 — a question to the department that
 * holds the acceptance until its answer arrives.
 */
export function AcceptOptions({ work, onChange, onReceipt, beforeAccept }: { work: CaseWork; onChange: (w: CaseWork) => void; onReceipt: (slip: PrintRecord) => void; beforeAccept: () => Promise<boolean> }) {
  const { t } = useTranslation();
  const station = useRoleStation<'counter'>();
  const { call, error, busy } = useCaseCall();
  const [question, setQuestion] = useState('');
  const missing = work.checklist.filter((m) => m.required && !m.received);
  const waiting = work.consult?.status === 'pending';
  useEffect(() => {
    if (!waiting) return;
    const timer = setInterval(() => void station.call('case.get', { caseId: work.caseId }).then(onChange, () => undefined), CONSULT_REFRESH_MS);
    return () => clearInterval(timer);
  }, [waiting, station, work.caseId, onChange]);
  const acceptPending = async () => {
    if (!(await beforeAccept())) return;
    const result = await call(() => station.call('case.accept', { caseId: work.caseId, pendingMaterialIds: missing.map((m) => m.materialId) }));
    if (result) {
      onChange(result.case);
      onReceipt(result.receipt);
    }
  };
  const ask = async () => {
    const asked = await call(() => station.call('caseFile.requestConsult', { caseId: work.caseId, question: question.trim() }));
    if (!asked) return;
    setQuestion('');
    const next = await call(() => station.call('case.get', { caseId: work.caseId }));
    if (next) onChange(next);
  };
  return (
    <div className="accept-options" data-testid="accept-options">
      {work.acceptWithPendingMaterials && missing.length > 0 && (
        <button className="btn primary" data-testid="case-accept-pending" disabled={busy || waiting} onClick={() => void acceptPending()}>
          {t('accept.pending', { names: missing.map((m) => m.name).join('、') })}
        </button>
      )}
      {work.consult && (
        <p className={work.consult.status === 'refused' ? 'error' : waiting ? 'warn-text' : 'ok'} data-testid="consult-status" data-consult={work.consult.status}>
          {waiting
            ? `${t('accept.waiting')}：${work.consult.question}`
            : t('caseFile.consultAnswered', { verdict: t(`caseFile.${work.consult.status === 'approved' ? 'approve' : 'refuse'}`), answer: work.consult.answer ?? '' })}
        </p>
      )}
      {!waiting && (
        <details>
          <summary>{t('accept.consult')}</summary>
          <textarea data-testid="consult-question" placeholder={t('accept.question')} value={question} maxLength={500} onChange={(e) => setQuestion(e.target.value)} />
          <button className="btn" data-testid="consult-ask" disabled={busy || !question.trim()} onClick={() => void ask()}>
            {t('accept.ask')}
          </button>
        </details>
      )}
      {error && <p className="error" role="alert">{error}</p>}
    </div>
  );
}
