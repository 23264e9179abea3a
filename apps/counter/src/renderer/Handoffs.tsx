import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { HandoffCandidate, HandoffItem, HandoffView } from '@hall/shared';
import { HandoffCheck } from './HandoffCheck';
import { useRoleStation } from '@hall/ui';
import { useCaseCall } from './caseCall';
import { useDesk } from './state';

const time = (iso: string) => new Date(iso).toLocaleTimeString('zh-CN', { hour: '2-digit', minute: '2-digit' });

/**
 * 物料流转 at the counter: pick today's accepted cases (their papers, editable), print one slip or
 * a package slip for the runner; sign in a slip that arrives here (the code scanner does it by
 * itself; the box takes a typed or pasted code too).
 */
export function HandoffScreen() {
  const { t } = useTranslation();
  const station = useRoleStation<'counter'>();
  const { showSlip, handoffScan, catalogue } = useDesk();
  // 跨厅流转: the paper of a department not stationed here goes to another hall's desk.
  const [toHallId, setToHallId] = useState('');
  const { call, error, busy, setError } = useCaseCall();
  const [candidates, setCandidates] = useState<HandoffCandidate[]>([]);
  const [chosen, setChosen] = useState<Record<string, HandoffItem[]>>({});
  const [extra, setExtra] = useState<Record<string, string>>({});
  const [started, setStarted] = useState<HandoffView>();
  const [signed, setSigned] = useState<HandoffView>();
  const [code, setCode] = useState('');
  const reload = useCallback(() => void call(() => station.call('handoff.candidates', {})).then((c) => c && setCandidates(c)), [call, station]);
  useEffect(reload, [reload]);
  // A typed or pasted code shows the slip first; HandoffCheck signs it in with what the clerk marked.
  const [checking, setChecking] = useState<{ view: HandoffView; code: string }>();
  // The code scanner opens the same check as a typed code (never a sign-in by itself).
  useEffect(() => {
    if (!handoffScan) return;
    // Taken once: coming back to this screen later must not open an old scan's check again.
    useDesk.setState({ handoffScan: undefined });
    setSigned(undefined);
    if (handoffScan.outcome === 'check' && handoffScan.handoff && handoffScan.slipCode) {
      setChecking({ view: handoffScan.handoff, code: handoffScan.slipCode });
      setError(undefined);
    } else if (handoffScan.outcome === 'signed' && handoffScan.handoff) {
      setSigned(handoffScan.handoff);
      setError(undefined);
      reload();
    } else {
      setChecking(undefined);
      setError(t(`conflicts.reasons.${handoffScan.code ?? ''}`, { defaultValue: handoffScan.message ?? '' }));
    }
  }, [handoffScan, setError, t, reload]);

  const toggle = (c: HandoffCandidate) =>
    setChosen((now) => {
      const next = { ...now };
      if (next[c.caseId]) delete next[c.caseId];
      else next[c.caseId] = c.items;
      return next;
    });
  const removeItem = (caseId: string, itemId: string) => setChosen((now) => ({ ...now, [caseId]: (now[caseId] ?? []).filter((i) => i.id !== itemId) }));
  const addItem = (caseId: string) => {
    const name = (extra[caseId] ?? '').trim();
    if (!name) return;
    setChosen((now) => {
      const items = now[caseId] ?? [];
      return { ...now, [caseId]: [...items, { id: `extra-${items.length + 1}`, name: name.slice(0, 80), copies: 1 }] };
    });
    setExtra((now) => ({ ...now, [caseId]: '' }));
  };
  const print = async () => {
    const cases = Object.entries(chosen).map(([caseId, items]) => ({ caseId, items }));
    const result = await call(() => station.call('handoff.start', { cases, ...(toHallId ? { toHallId } : {}) }));
    if (!result) return;
    setStarted(result.handoff);
    setChosen({});
    setToHallId('');
    showSlip(result.slip);
    reload();
  };
  const lookUp = async (e: FormEvent) => {
    e.preventDefault();
    setSigned(undefined);
    const slipCode = code.trim();
    const view = await call(() => station.call('handoff.preview', { code: slipCode }));
    setChecking(view ? { view, code: slipCode } : undefined);
  };
  const onSigned = (view: HandoffView) => {
    setSigned(view);
    setChecking(undefined);
    setCode('');
    reload();
  };
  const count = Object.keys(chosen).length;

  return (
    <main className="case-file panel handoffs" data-testid="handoff-screen">
      <h2>{t('handoff.heading')}</h2>
      <form className="row case-search-row" onSubmit={(e) => void lookUp(e)}>
        <input data-testid="handoff-code" placeholder={t('handoff.scanHint')} value={code} maxLength={300} onChange={(e) => setCode(e.target.value)} />
        <button className="btn" type="submit" data-testid="handoff-look-up" disabled={busy || !code.trim()}>
          {t('handoff.lookUp')}
        </button>
      </form>
      {error && <p className="error" role="alert" data-testid="handoff-error">{error}</p>}
      {checking && <HandoffCheck key={checking.code} slip={checking.view} code={checking.code} onSigned={onSigned} onCancel={() => setChecking(undefined)} />}
      {signed && (
        <p className="notice" data-testid="handoff-signed">
          {t('handoff.signed', { number: signed.number, count: signed.cases.length })}
        </p>
      )}
      <h3>{t('handoff.candidates')}</h3>
      {candidates.length === 0 && <p className="muted">{t('handoff.none')}</p>}
      <ul className="handoff-candidates" data-testid="handoff-candidates">
        {candidates.map((c) => {
          const items = chosen[c.caseId];
          return (
            <li key={c.caseId} data-testid={`handoff-case-${c.number}`}>
              <label className="row">
                <input type="checkbox" checked={items !== undefined} onChange={() => toggle(c)} data-testid="handoff-choose" />
                <strong>{c.number}</strong> · {c.serviceName} · {c.applicant} · {time(c.acceptedAt)}
                {c.handoffNumber && <span className="pill">{t('handoff.onSlip', { number: c.handoffNumber })}</span>}
              </label>
              {items && (
                <div className="handoff-items">
                  <ul>
                    {items.map((item) => (
                      <li key={item.id}>
                        {item.name} ×{item.copies}{' '}
                        <button className="btn ghost" type="button" onClick={() => removeItem(c.caseId, item.id)}>
                          {t('handoff.remove')}
                        </button>
                      </li>
                    ))}
                  </ul>
                  <div className="row">
                    <input data-testid="handoff-extra" placeholder={t('handoff.addItem')} value={extra[c.caseId] ?? ''} maxLength={80} onChange={(e) => setExtra((now) => ({ ...now, [c.caseId]: e.target.value }))} />
                    <button className="btn" type="button" onClick={() => addItem(c.caseId)}>
                      {t('handoff.add')}
                    </button>
                  </div>
                </div>
              )}
            </li>
          );
        })}
      </ul>
      {(catalogue?.cityHalls?.length ?? 0) > 0 && (
        <label className="row handoff-destination">
          {t('handoff.toHall')}
          <select data-testid="handoff-to-hall" value={toHallId} onChange={(e) => setToHallId(e.target.value)}>
            <option value="">{t('handoff.thisHall')}</option>
            {catalogue?.cityHalls?.map((h) => (
              <option key={h.id} value={h.id}>
                {h.name.zh}
              </option>
            ))}
          </select>
        </label>
      )}
      <button className="btn primary big" data-testid="handoff-print" disabled={busy || count === 0 || Object.values(chosen).some((items) => items.length === 0)} onClick={() => void print()}>
        {count > 1 ? t('handoff.printPackage', { count }) : t('handoff.print')}
      </button>
      {started && (
        <p className="notice" data-testid="handoff-started">
          {t('handoff.started', { number: started.number, count: started.cases.length })}
        </p>
      )}
    </main>
  );
}
