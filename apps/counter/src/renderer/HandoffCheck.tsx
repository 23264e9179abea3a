import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HandoffMark, HandoffView } from '@hall/shared';
import { useRoleStation } from '@hall/ui';
import { useCaseCall } from './caseCall';

/**
 * 签收 with a check of the papers: every item of the slip starts ticked (found); the clerk unticks
 * what is missing and types what came that the slip does not list. The marks travel with the
 * sign-in, so the next desk and supervision see them; nothing is recorded until 签收.
 */
export function HandoffCheck({ slip, code, onSigned, onCancel }: { slip: HandoffView; code: string; onSigned: (view: HandoffView) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const station = useRoleStation<'counter'>();
  const { call, error, busy } = useCaseCall();
  const [missing, setMissing] = useState<Record<string, string[]>>({});
  const [extra, setExtra] = useState<Record<string, string[]>>({});
  const [typed, setTyped] = useState<Record<string, string>>({});

  const toggle = (caseId: string, itemId: string) =>
    setMissing((now) => {
      const list = now[caseId] ?? [];
      return { ...now, [caseId]: list.includes(itemId) ? list.filter((id) => id !== itemId) : [...list, itemId] };
    });
  const addExtra = (caseId: string) => {
    const name = (typed[caseId] ?? '').trim().slice(0, 80);
    if (!name) return;
    setExtra((now) => ({ ...now, [caseId]: [...(now[caseId] ?? []), name] }));
    setTyped((now) => ({ ...now, [caseId]: '' }));
  };
  const removeExtra = (caseId: string, index: number) => setExtra((now) => ({ ...now, [caseId]: (now[caseId] ?? []).filter((_, i) => i !== index) }));
  const sign = async () => {
    const marks: HandoffMark[] = slip.cases.flatMap((c) => {
      const m = missing[c.caseId] ?? [];
      const x = extra[c.caseId] ?? [];
      return m.length || x.length ? [{ caseId: c.caseId, missing: m, extra: x }] : [];
    });
    const view = await call(() => station.call('handoff.scan', { code, ...(marks.length ? { marks } : {}) }));
    if (view) onSigned(view);
  };

  return (
    <section className="handoff-check" data-testid="handoff-check">
      <h3>{t('handoff.checkHeading', { number: slip.number, count: slip.cases.length })}</h3>
      <p className="muted">{t('handoff.checkHint')}</p>
      <ul className="handoff-candidates">
        {slip.cases.map((c) => (
          <li key={c.caseId} data-testid={`handoff-check-${c.number}`}>
            <strong>{c.number}</strong> · {c.serviceName} · {c.applicant}
            <ul className="handoff-items">
              {c.items.map((item) => (
                <li key={item.id}>
                  <label className="row">
                    <input type="checkbox" checked={!(missing[c.caseId] ?? []).includes(item.id)} onChange={() => toggle(c.caseId, item.id)} data-testid={`handoff-item-${item.id}`} />
                    {item.name} ×{item.copies}
                    {(missing[c.caseId] ?? []).includes(item.id) && <span className="pill pill-missed">{t('handoff.missing')}</span>}
                  </label>
                </li>
              ))}
              {(extra[c.caseId] ?? []).map((name, i) => (
                <li key={`${name}-${i}`} data-testid="handoff-extra-item">
                  <span className="pill">{t('handoff.extra')}</span> {name}{' '}
                  <button className="btn ghost" type="button" onClick={() => removeExtra(c.caseId, i)}>
                    {t('handoff.remove')}
                  </button>
                </li>
              ))}
            </ul>
            <div className="row">
              <input data-testid="handoff-extra-name" placeholder={t('handoff.extraHint')} value={typed[c.caseId] ?? ''} maxLength={80} onChange={(e) => setTyped((now) => ({ ...now, [c.caseId]: e.target.value }))} />
              <button className="btn" type="button" data-testid="handoff-extra-add" onClick={() => addExtra(c.caseId)}>
                {t('handoff.add')}
              </button>
            </div>
          </li>
        ))}
      </ul>
      {error && <p className="error" role="alert" data-testid="handoff-check-error">{error}</p>}
      <div className="row">
        <button className="btn primary big" data-testid="handoff-sign" disabled={busy} onClick={() => void sign()}>
          {t('handoff.sign')}
        </button>
        <button className="btn ghost" type="button" onClick={onCancel}>
          {t('handoff.cancel')}
        </button>
      </div>
    </section>
  );
}
