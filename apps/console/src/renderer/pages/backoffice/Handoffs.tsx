import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { parseHandoffSlipCode, type Case, type HandoffMove, type HandoffStep } from '@hall/shared';
import { ApiFailure, request } from '../../api';
import type { PageProps } from '../../App';
import { useGet } from '../../useApi';
import { shortTime } from './types';

/** A slip as the API shows it (handoff/views.ts). */
export interface HandoffSlip {
  id: string;
  number: string;
  step: HandoffStep;
  /** Where the paper is, the case's own hall, and the hall the slip sends it to (跨厅流转). */
  hallId?: string;
  caseHallId?: string;
  toHallId?: string;
  hallNames?: Record<string, string>;
  since: string;
  overdue: boolean;
  cases: { id: string; number: string | null; serviceName: { zh: string; en?: string }; caseType: string; applicant: string | null; status: string; step: HandoffStep; items: { id: string; name: string; copies: number }[] }[];
  history: (HandoffMove & { caseId: string; caseNumber: string | null })[];
  /** Display names of the staff the history names. */
  staffNames?: Record<string, string>;
}

const DESK_STEPS = ['', 'review', 'approval', 'production', 'delivery'] as const;

/**
 * 物料签收 at the back office: the code scanner types the slip's code and Enter into the box; the
 * slip shows with its papers, the officer unticks what is missing, notes what is extra, and
 * signs it in (the whole package, or the cases ticked). The desk's step follows the paper
 * unless chosen.
 */
export function HandoffScan({ session, hallId, onSigned }: Pick<PageProps, 'session' | 'hallId'> & { onSigned: () => void }) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const [step, setStep] = useState<(typeof DESK_STEPS)[number]>('');
  const [slip, setSlip] = useState<{ code: string; view: HandoffSlip }>();
  const [missing, setMissing] = useState<Record<string, string[]>>({});
  const [extra, setExtra] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string }>();
  const [busy, setBusy] = useState(false);
  const fail = (e: unknown) => setMessage({ kind: 'error', text: e instanceof ApiFailure ? t(`handoff.refusals.${e.code}`, { defaultValue: e.message }) : String(e) });

  const lookUp = async (e: FormEvent) => {
    e.preventDefault();
    const text = code.trim();
    if (!text) return;
    setBusy(true);
    setMessage(undefined);
    try {
      const found = await request<{ handoffs: HandoffSlip[]; refusal?: { code: string; message: string } }>(session, 'GET', `/halls/${hallId}/handoffs?q=${encodeURIComponent(text)}`);
      if (found.refusal) throw new ApiFailure(409, found.refusal.code, found.refusal.message);
      const view = found.handoffs[0];
      if (!view) throw new ApiFailure(404, 'forged_code', t('handoff.notFound'));
      setSlip({ code: text, view });
      setMissing({});
      setExtra({});
    } catch (error) {
      setSlip(undefined);
      fail(error);
    } finally {
      setBusy(false);
      setCode('');
    }
  };

  const sign = async () => {
    if (!slip) return;
    setBusy(true);
    const marks = slip.view.cases
      .map((c) => ({ caseId: c.id, missing: missing[c.id] ?? [], extra: (extra[c.id] ?? '').split(/[,，、]/).map((s) => s.trim()).filter(Boolean) }))
      .filter((m) => m.missing.length > 0 || m.extra.length > 0);
    try {
      const result = await request<{ handoff: HandoffSlip }>(session, 'POST', `/halls/${hallId}/handoffs/scan`, { code: slip.code, ...(step ? { step } : {}), ...(marks.length > 0 ? { marks } : {}) });
      setSlip({ code: slip.code, view: result.handoff });
      setMessage({ kind: 'ok', text: t('handoff.signed', { number: result.handoff.number, step: t(`handoff.steps.${result.handoff.step}`) }) });
      onSigned();
    } catch (error) {
      fail(error);
    } finally {
      setBusy(false);
    }
  };

  const toggleMissing = (caseId: string, itemId: string) =>
    setMissing((now) => {
      const list = now[caseId] ?? [];
      return { ...now, [caseId]: list.includes(itemId) ? list.filter((i) => i !== itemId) : [...list, itemId] };
    });

  return (
    <section className="card" data-testid="bo-handoff">
      <h3>{t('handoff.heading')}</h3>
      <form className="toolbar" onSubmit={(e) => void lookUp(e)}>
        <input className="grow" placeholder={t('handoff.scanHint')} value={code} onChange={(e) => setCode(e.target.value)} data-testid="bo-handoff-code" autoComplete="off" />
        <select value={step} onChange={(e) => setStep(e.target.value as (typeof DESK_STEPS)[number])} data-testid="bo-handoff-step" aria-label={t('handoff.step')}>
          {DESK_STEPS.map((s) => (
            <option key={s || 'auto'} value={s}>
              {s ? t(`handoff.steps.${s}`) : t('handoff.autoStep')}
            </option>
          ))}
        </select>
        <button type="submit" disabled={busy}>
          {t('handoff.lookUp')}
        </button>
      </form>
      {message && (
        <p className={message.kind === 'error' ? 'error' : 'ok'} role={message.kind === 'error' ? 'alert' : 'status'} data-testid={message.kind === 'error' ? 'bo-handoff-error' : 'bo-handoff-ok'}>
          {message.text}
        </p>
      )}
      {slip && (
        <div data-testid="bo-handoff-slip" data-step={slip.view.step}>
          <p>
            <strong>{slip.view.number}</strong> · {t('handoff.at', { step: t(`handoff.steps.${slip.view.step}`) })} · {shortTime(slip.view.since)}
            {slip.view.overdue && <span className="badge overdue">{t('handoff.overdue')}</span>}
          </p>
          <CrossHallLine view={slip.view} deskHallId={hallId} />
          {slip.view.cases.map((c) => (
            <div key={c.id} className="handoff-case" data-testid={`bo-handoff-case-${c.number ?? c.id}`}>
              <div>
                <strong>{c.number ?? c.id.slice(0, 8)}</strong> · {c.serviceName.zh} · {c.caseType} · {c.applicant ?? '—'} · {t(`handoff.steps.${c.step}`)}
              </div>
              <ul className="plain">
                {c.items.map((item) => (
                  <li key={item.id}>
                    <label>
                      <input type="checkbox" checked={!(missing[c.id] ?? []).includes(item.id)} onChange={() => toggleMissing(c.id, item.id)} data-testid={`bo-handoff-item-${item.id}`} /> {item.name} ×{item.copies}
                    </label>
                  </li>
                ))}
              </ul>
              <input placeholder={t('handoff.extra')} value={extra[c.id] ?? ''} onChange={(e) => setExtra((now) => ({ ...now, [c.id]: e.target.value }))} data-testid="bo-handoff-extra" />
            </div>
          ))}
          {/* Signing in proves the desk holds the paper: only a scanned code signs, a number only finds. */}
          {parseHandoffSlipCode(slip.code) ? (
            <button type="button" className="primary" disabled={busy} onClick={() => void sign()} data-testid="bo-handoff-sign">
              {t('handoff.sign', { count: slip.view.cases.length })}
            </button>
          ) : (
            <p className="muted">{t('handoff.scanToSign')}</p>
          )}
          <HandoffHistory
            moves={slip.view.history}
            staffName={(id) => (id ? (slip.view.staffNames?.[id] ?? id) : '')}
            homeHallId={slip.view.caseHallId}
            hallName={(id) => slip.view.hallNames?.[id] ?? id}
            itemName={(caseId, id) => slip.view.cases.find((c) => c.id === caseId)?.items.find((i) => i.id === id)?.name ?? id}
          />
        </div>
      )}
    </section>
  );
}

/** Every sign-in of a slip or a case: from which desk to which, who, what was missing or extra; a duplicate shown as refused. */
export function HandoffHistory({
  moves,
  staffName,
  itemName,
  homeHallId,
  hallName,
}: {
  moves: (HandoffMove & { caseId?: string; caseNumber?: string | null })[];
  staffName?: (id: string | undefined) => string;
  /** 跨厅流转: a sign-in at a desk of another hall than the case's own names that hall. */
  homeHallId?: string | undefined;
  hallName?: (hallId: string) => string;
  /** The slip's name of a missing item (the move records its id). */
  itemName: (caseId: string | undefined, itemId: string) => string;
}) {
  const { t } = useTranslation();
  if (moves.length === 0) return <p className="muted">{t('handoff.noMoves')}</p>;
  return (
    <table data-testid="bo-handoff-history">
      <thead>
        <tr>
          <th>{t('backoffice.time')}</th>
          <th>{t('handoff.move')}</th>
          <th>{t('backoffice.staff')}</th>
          <th>{t('handoff.check')}</th>
        </tr>
      </thead>
      <tbody>
        {moves.map((m, i) => (
          <tr key={i} data-result={m.result} className={m.result === 'duplicate' ? 'row-red' : ''}>
            <td>{shortTime(m.at)}</td>
            <td>
              {m.caseNumber ? `${m.caseNumber} · ` : ''}
              {t(`handoff.steps.${m.from}`)} → {t(`handoff.steps.${m.to}`)}
              {homeHallId && hallName && m.hallId !== homeHallId && (
                <span className="badge" data-testid="bo-handoff-move-hall">
                  {t('handoff.inHall', { hall: hallName(m.hallId) })}
                </span>
              )}
              {m.result === 'duplicate' && <span className="badge warn">{t('handoff.duplicate')}</span>}
            </td>
            <td>{staffName ? staffName(m.staffId) : (m.staffId ?? m.counterId ?? '')}</td>
            <td>
              {m.missing.length > 0 && <span className="badge warn">{t('handoff.missing', { items: m.missing.map((id) => itemName(m.caseId, id)).join('、') })}</span>}
              {m.extra.length > 0 && <span className="badge">{t('handoff.extraFound', { items: m.extra.join('、') })}</span>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** 跨厅流转 on a slip: the hall it comes from (seen at the destination) and the hall it goes to. */
function CrossHallLine({ view, deskHallId }: { view: HandoffSlip; deskHallId: string }) {
  const { t } = useTranslation();
  const name = (id: string) => view.hallNames?.[id] ?? id;
  const from = view.caseHallId && view.caseHallId !== deskHallId ? view.caseHallId : undefined;
  if (!from && !view.toHallId) return null;
  return (
    <p data-testid="bo-handoff-cross-hall">
      {from && <span className="badge">{t('handoff.fromHall', { hall: name(from) })}</span>} {view.toHallId && <span className="badge">{t('handoff.toHall', { hall: name(view.toHallId) })}</span>}
    </p>
  );
}

/** The case page's 物料流转 section: where the paper is (in another hall, 跨厅流转, named) and its history. */
export function CaseHandoff({ kase, staffName, session }: { kase: Case; staffName: (id: string | undefined) => string } & Pick<PageProps, 'session'>) {
  const { t } = useTranslation();
  const h = kase.handoff;
  const crossHall = h !== undefined && (h.toHallId !== undefined || h.hallId !== kase.hallId);
  const halls = useGet<{ halls: { id: string; name: { zh: string } }[] }>(session, crossHall ? '/halls' : null);
  const hallName = (id: string) => halls.data?.halls.find((x) => x.id === id)?.name.zh ?? id;
  if (!h) return null;
  return (
    <section className="card" data-testid="bo-case-handoff" data-step={h.step}>
      <h3>
        {t('handoff.heading')} · {h.number}
      </h3>
      <p>
        {t('handoff.at', { step: t(`handoff.steps.${h.step}`) })}
        {h.hallId !== kase.hallId && ` · ${t('handoff.inHall', { hall: hallName(h.hallId) })}`}
        {h.toHallId && <span className="badge">{t('handoff.toHall', { hall: hallName(h.toHallId) })}</span>}
      </p>
      <HandoffHistory moves={h.moves} staffName={staffName} homeHallId={kase.hallId} hallName={hallName} itemName={(_caseId, id) => h.items.find((i) => i.id === id)?.name ?? id} />
    </section>
  );
}

/** Supervision: papers sitting at a desk beyond the limit. */
export function OverdueHandoffs({ session, hallId }: Pick<PageProps, 'session' | 'hallId'>) {
  const { t } = useTranslation();
  const overdue = useGet<{ handoffs: HandoffSlip[] }>(session, `/halls/${hallId}/handoffs/overdue`, 60_000);
  const list = overdue.data?.handoffs ?? [];
  return (
    <section className="card" data-testid="supervision-handoffs">
      <h3>{t('handoff.overdueHeading')}</h3>
      {list.length === 0 ? (
        <p className="muted">{t('handoff.noneOverdue')}</p>
      ) : (
        <table>
          <tbody>
            {list.map((h) => (
              <tr key={h.id} className="row-red">
                <td>{h.number}</td>
                <td>{t(`handoff.steps.${h.step}`)}</td>
                <td>{shortTime(h.since)}</td>
                <td>{h.cases.map((c) => c.number ?? c.id.slice(0, 8)).join('、')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
