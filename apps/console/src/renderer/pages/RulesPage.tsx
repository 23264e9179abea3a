import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DEFAULT_POSITION_SMS_AHEAD, type CallingRules, type Counter, type Service } from '@hall/shared';
import { request } from '../api';
import type { PageProps } from '../App';
import { useGet } from '../useApi';

const NUMBER_RULES = [
  'normalPerPriority',
  'maxRecalls',
  'missedRecallWindowMinutes',
  'minSecondsBetweenRecalls',
  'appointmentEarlyMinutes',
  'appointmentLateMinutes',
  'callCountdownSeconds',
  'ratingTimeoutSeconds',
  'waitEstimateSampleSize',
  'positionSmsAhead',
] as const;

/** Calling rules and which services each counter handles, with their priorities. */
export function RulesPage({ session, hallId, onConfigChanged }: PageProps) {
  const { t } = useTranslation();
  const hall = useGet<{ callingRules: CallingRules | null }>(session, `/halls/${hallId}`);
  const counters = useGet<{ counters: Counter[] }>(session, `/halls/${hallId}/counters`);
  const services = useGet<{ services: Service[] }>(session, `/services?hallId=${hallId}`);
  const [rules, setRules] = useState<CallingRules>();
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  useEffect(() => setRules(hall.data?.callingRules ?? undefined), [hall.data]);
  const done = (e?: unknown) => {
    if (e === undefined) {
      setMessage({ ok: true, text: t('rules.saved') });
      onConfigChanged();
    } else setMessage({ ok: false, text: t('common.error', { message: e instanceof Error ? e.message : String(e) }) });
  };
  const saveRules = async () => {
    try {
      await request(session, 'PUT', `/halls/${hallId}/calling-rules`, rules);
      done();
    } catch (e) {
      done(e);
    }
  };
  const saveCounter = async (counter: Counter) => {
    try {
      await request(session, 'PUT', `/counters/${counter.id}`, counter);
      counters.reload();
      done();
    } catch (e) {
      done(e);
    }
  };
  const serviceName = new Map((services.data?.services ?? []).map((s) => [s.id, s.name.zh]));
  return (
    <div data-testid="rules-page">
      {message && (
        <p className={message.ok ? 'ok' : 'error'} data-testid="rules-message">
          {message.text}
        </p>
      )}
      {rules && (
        <section className="card">
          <h2>{t('rules.calling')}</h2>
          <div className="rules-grid">
            {NUMBER_RULES.map((key) => (
              <label key={key}>
                {t(`rules.fields.${key}`)}
                <input type="number" name={key} value={rules[key] ?? DEFAULT_POSITION_SMS_AHEAD} onChange={(e) => setRules({ ...rules, [key]: Number(e.target.value) })} />
              </label>
            ))}
          </div>
          <p className="muted">
            {t('rules.priorityGroups')}: {rules.priorityGroups.map((g) => g.name.zh).join('、') || '—'}
          </p>
          <button type="button" className="primary" onClick={() => void saveRules()} data-testid="save-rules">
            {t('services.save')}
          </button>
        </section>
      )}
      <section className="card">
        <h2>{t('rules.counters')}</h2>
        <table className="counter-table">
          <thead>
            <tr>
              <th>{t('live.counter')}</th>
              <th>{t('rules.servicePriorities')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {(counters.data?.counters ?? []).map((c) => (
              <CounterRow key={c.id} counter={c} serviceName={serviceName} onSave={(next) => void saveCounter(next)} />
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}

function CounterRow(props: { counter: Counter; serviceName: Map<string, string>; onSave: (c: Counter) => void }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState(props.counter);
  return (
    <tr data-testid={`counter-row-${props.counter.number}`}>
      <td>
        {draft.number} · {draft.name.zh}
      </td>
      <td>
        <div className="priorities">
        {draft.services.map((s, i) => (
          <label key={s.serviceId}>
            {props.serviceName.get(s.serviceId) ?? s.serviceId}{' '}
            <input
              type="number"
              min={1}
              max={99}
              value={s.priority}
              onChange={(e) => setDraft({ ...draft, services: draft.services.map((x, j) => (j === i ? { ...x, priority: Number(e.target.value) } : x)) })}
            />
          </label>
        ))}
        </div>
      </td>
      <td>
        <button type="button" onClick={() => props.onSave(draft)}>
          {t('services.save')}
        </button>
      </td>
    </tr>
  );
}
