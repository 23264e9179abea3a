import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { request, type StaffSession } from '../../api';
import { localTime, type Appeal } from './types';

/** 考评结果申诉 for the hall manager: each appeal must be answered, overdue ones are flagged. */
export function AppealsSection(props: { session: StaffSession; base: string; appeals: Appeal[]; onChanged: () => void }) {
  const { t } = useTranslation();
  return (
    <section className="card" data-testid="appeals-section">
      <h3>{t('performance.appeals.heading')}</h3>
      {props.appeals.length === 0 ? (
        <p className="muted">{t('performance.appeals.none')}</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>{t('performance.staffNumber')}</th>
              <th>{t('performance.name')}</th>
              <th>{t('performance.period')}</th>
              <th>{t('performance.appeals.filedAt')}</th>
              <th>{t('performance.appeals.reason')}</th>
              <th>{t('performance.appeals.due')}</th>
              <th>{t('performance.appeals.status')}</th>
            </tr>
          </thead>
          <tbody>
            {props.appeals.map((a) => (
              <AppealRow key={a.id} appeal={a} {...props} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function AppealRow(props: { appeal: Appeal; session: StaffSession; base: string; onChanged: () => void }) {
  const { t } = useTranslation();
  const { appeal: a } = props;
  const [outcome, setOutcome] = useState<'upheld' | 'rejected'>('rejected');
  const [text, setText] = useState('');
  const [error, setError] = useState<string>();
  const send = async () => {
    try {
      await request(props.session, 'POST', `${props.base}/appeals/${a.id}/answer`, { outcome, answer: text });
      setError(undefined);
      props.onChanged();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <tr data-testid={`appeal-${a.staffNumber}`}>
      <td className="mono">{a.staffNumber}</td>
      <td>{a.name}</td>
      <td>{a.period}</td>
      <td>{localTime(a.filedAt)}</td>
      <td>{a.reason}</td>
      <td>
        {localTime(a.answerDueAt)} {a.overdue && <span className="pill pill-offline">{t('performance.appeals.overdue')}</span>}
      </td>
      <td>
        {a.outcome ? (
          <span data-testid="appeal-outcome">
            {t(`performance.appeals.outcome.${a.outcome}`)}：{a.answer}
          </span>
        ) : (
          <span className="toolbar">
            <select value={outcome} onChange={(e) => setOutcome(e.target.value as 'upheld' | 'rejected')} data-testid="appeal-outcome-select">
              <option value="rejected">{t('performance.appeals.outcome.rejected')}</option>
              <option value="upheld">{t('performance.appeals.outcome.upheld')}</option>
            </select>
            <input value={text} onChange={(e) => setText(e.target.value)} placeholder={t('performance.appeals.answerText')} minLength={2} maxLength={500} data-testid="appeal-answer" />
            <button type="button" className="primary" disabled={text.trim().length < 2} onClick={() => void send()} data-testid="appeal-send">
              {t('performance.appeals.send')}
            </button>
            {error && <span className="error">{error}</span>}
          </span>
        )}
      </td>
    </tr>
  );
}
