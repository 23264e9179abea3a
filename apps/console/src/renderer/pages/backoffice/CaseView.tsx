import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Counter } from '@hall/shared';
import type { PageProps } from '../../App';
import { useGet } from '../../useApi';
import { CaseActions } from './CaseActions';
import { CaseHandoff } from './Handoffs';
import { shortTime, type CaseDetail } from './types';

/**
 * One case as the department reviews it: materials (received / pending 容缺 / missing), the
 * form masked unless revealed (the server audits each reveal), every supplement request
 * (so a second one is visible: 一次性告知), the clerk's question and the whole timeline.
 */
export function CaseView(props: PageProps & { caseId: string; onChanged: () => void; onClose: () => void }) {
  const { session, hallId, caseId } = props;
  const { t, i18n } = useTranslation();
  const en = i18n.language.startsWith('en');
  const name = (n: { zh: string; en?: string } | undefined) => (n ? (en ? (n.en ?? n.zh) : n.zh) : '');
  const [reveal, setReveal] = useState(false);
  const counters = useGet<{ counters: Counter[] }>(session, `/halls/${hallId}/counters`);
  const detail = useGet<CaseDetail>(session, `/halls/${hallId}/back-office/cases/${encodeURIComponent(caseId)}${reveal ? '?reveal=1' : ''}`);
  if (detail.error) return <section className="card error">{t('common.error', { message: detail.error })}</section>;
  const d = detail.data;
  if (!d || d.case.id !== caseId) return <section className="card">{t('common.loading')}</section>;
  const kase = d.case;
  const who = (staffId: string | undefined) => (staffId ? (d.staffNames[staffId] ?? staffId) : t('backoffice.system'));
  const materialName = (id: string | undefined) => d.materials.find((m) => m.id === id)?.name ?? id;
  const counterName = (id: string | undefined) => {
    const counter = counters.data?.counters.find((c) => c.id === id);
    return counter ? `${counter.number} · ${name(counter.name)}` : (id ?? '');
  };
  return (
    <div data-testid="bo-case" data-status={kase.status}>
      <section className="card">
        <div className="card-head">
          <h2>
            {kase.number ?? kase.id} · {name(d.service?.name) || kase.serviceId}
          </h2>
          <button type="button" className="link" onClick={props.onClose}>
            {t('backoffice.back')}
          </button>
        </div>
        <p>
          <span className="badge" data-testid="bo-status">
            {t(`supervision.caseStatus.${kase.status}`)}
          </span>{' '}
          {kase.citizen && <span>{t('backoffice.citizen')}：{kase.citizen.maskedName}</span>}{' '}
          {kase.dueAt && <span className="muted">{t('supervision.due')}：{shortTime(kase.dueAt)}</span>}
          {kase.specialProcedures
            .filter((p) => p.endedAt === undefined)
            .map((p) => (
              <span key={p.startedAt} className="badge" data-testid="bo-special-open">
                {t('backoffice.specialOpen', { reason: `${t(`backoffice.specialKinds.${p.kind}`)}·${p.reason}`, due: shortTime(p.dueAt) })}
              </span>
            ))}
        </p>
      </section>
      <CaseActions {...props} detail={d} onDone={() => {
        detail.reload();
        props.onChanged();
      }} />
      <div className="two-col">
        <section className="card" data-testid="bo-materials">
          <h3>{t('backoffice.materials')}</h3>
          <ul className="checklist">
            {d.materials.map((m) => {
              const state = m.pending ? 'pending' : m.received?.received ? 'received' : 'missing';
              return (
                <li key={m.id} className={`material-${state}`} data-testid={`bo-material-${m.id}`} data-state={state}>
                  <span className="mark">{state === 'received' ? '✔' : state === 'pending' ? '◷' : '✘'}</span> {m.name}{' '}
                  <span className="muted small">
                    {m.required ? t('backoffice.required') : t('backoffice.optional')} ·{' '}
                    {state === 'received' && m.received?.pageCount ? t('backoffice.receivedPages', { count: m.received.pageCount }) : t(`backoffice.${state}`)}
                  </span>
                </li>
              );
            })}
          </ul>
        </section>
        <section className="card" data-testid="bo-form">
          <div className="card-head">
            <h3>{t('backoffice.form')}</h3>
            {d.form.some((f) => f.personal) &&
              (d.revealed ? (
                <button type="button" onClick={() => setReveal(false)} data-testid="bo-hide">
                  {t('backoffice.hide')}
                </button>
              ) : (
                <button type="button" onClick={() => setReveal(true)} data-testid="bo-reveal">
                  {t('backoffice.reveal')}
                </button>
              ))}
          </div>
          {d.revealed && <p className="muted small" data-testid="bo-revealed">{t('backoffice.revealed')}</p>}
          {d.form.length === 0 ? (
            <p className="muted">{t('backoffice.noForm')}</p>
          ) : (
            <dl className="form-values">
              {d.form.map((f) => (
                <div key={f.id}>
                  <dt>{name(f.label)}</dt>
                  <dd data-testid={`bo-field-${f.id}`}>{Array.isArray(f.value) ? f.value.join('、') : String(f.value ?? '')}</dd>
                </div>
              ))}
            </dl>
          )}
        </section>
      </div>
      <section className="card" data-testid="bo-supplements">
        <h3>{t('backoffice.supplements')}</h3>
        {kase.supplements.length === 0 ? (
          <p className="muted">{t('backoffice.noSupplements')}</p>
        ) : (
          <ol className="supplements">
            {kase.supplements.map((s, i) => (
              <li key={s.id} data-testid="bo-supplement">
                <strong>{t('backoffice.supplementNo', { n: i + 1 })}</strong> · {shortTime(s.requestedAt)} · {who(s.requestedByStaffId)} ·{' '}
                {t('backoffice.supplementDue', { at: shortTime(s.dueAt) })} ·{' '}
                {s.receivedAt ? <span className="ok">{t('backoffice.supplementReceived', { at: shortTime(s.receivedAt) })}</span> : <span className="error">{t('backoffice.supplementOpen')}</span>}
                <ul>
                  {s.items.map((item, j) => (
                    <li key={j}>
                      {item.materialId ? `${materialName(item.materialId)}：` : ''}
                      {item.note}
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ol>
        )}
      </section>
      {(kase.consult || kase.withdrawal) && (
        <div className="two-col">
          {kase.consult && (
            <section className="card" data-testid="bo-consult">
              <h3>
                {t('backoffice.consult')} <span className="badge">{t(`backoffice.consultStatus.${kase.consult.status}`)}</span>
              </h3>
              <p>
                {kase.consult.question} <span className="muted small">— {who(kase.consult.requestedByStaffId)}，{shortTime(kase.consult.requestedAt)}</span>
              </p>
              {kase.consult.answer && (
                <p>
                  {kase.consult.answer} <span className="muted small">— {who(kase.consult.answeredByStaffId)}</span>
                </p>
              )}
            </section>
          )}
          {kase.withdrawal && (
            <section className="card" data-testid="bo-withdrawal">
              <h3>
                {t('backoffice.withdrawal')}{' '}
                <span className="badge">{kase.withdrawal.approvedAt ? t('backoffice.withdrawalApproved') : t('backoffice.withdrawalWaiting')}</span>
              </h3>
              <p>
                {kase.withdrawal.reason} <span className="muted small">— {who(kase.withdrawal.requestedByStaffId)}，{shortTime(kase.withdrawal.requestedAt)}</span>
              </p>
            </section>
          )}
        </div>
      )}
      <CaseHandoff kase={kase} staffName={who} session={session} />
      <section className="card">
        <h3>{t('backoffice.timeline')}</h3>
        <table data-testid="bo-timeline">
          <thead>
            <tr>
              <th>{t('backoffice.time')}</th>
              <th>{t('backoffice.stage')}</th>
              <th>{t('backoffice.staff')}</th>
              <th>{t('backoffice.counter')}</th>
              <th>{t('backoffice.note')}</th>
            </tr>
          </thead>
          <tbody>
            {kase.timeline.map((step, i) => (
              <tr key={i} data-kind={step.kind}>
                <td>{shortTime(step.at)}</td>
                <td>{t(`backoffice.steps.${step.kind}`)}</td>
                <td>{who(step.staffId)}</td>
                <td>{counterName(step.counterId)}</td>
                <td>{step.note ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
