import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { request, type StaffSession } from '../../api';
import { RATE_INDICATORS, type Indicator, type Scheme, type SchemeItem } from './types';

type Row = { use: boolean; weight: number; rule: SchemeItem['rule']; target: number };

const rowsOf = (indicators: readonly Indicator[], scheme?: Scheme): Record<Indicator, Row> =>
  Object.fromEntries(
    indicators.map((i) => {
      const item = scheme?.items.find((x) => x.indicator === i);
      const rate = RATE_INDICATORS.includes(i);
      return [i, { use: item !== undefined, weight: item?.weight ?? 10, rule: item?.rule ?? (rate ? 'rate' : 'relative'), target: item?.target ?? 100 }];
    }),
  ) as Record<Indicator, Row>;

/** 考评方案管理: pick indicators from the library, give each its points and scoring rule. */
export function SchemeEditor(props: { session: StaffSession; base: string; indicators: Indicator[]; schemes: Scheme[]; onSaved: () => void }) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState<Scheme | null>(null);
  const [name, setName] = useState('');
  const [rows, setRows] = useState(() => rowsOf(props.indicators));
  const [appealDays, setAppealDays] = useState(5);
  const [answerDays, setAnswerDays] = useState(3);
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const open = (scheme: Scheme | null) => {
    setEditing(scheme);
    setName(scheme?.name ?? '');
    setRows(rowsOf(props.indicators, scheme ?? undefined));
    setAppealDays(scheme?.appealDays ?? 5);
    setAnswerDays(scheme?.answerDays ?? 3);
    setMessage(undefined);
  };
  const set = (i: Indicator, change: Partial<Row>) => setRows({ ...rows, [i]: { ...rows[i], ...change } });
  const used = props.indicators.filter((i) => rows[i].use);
  const save = async (event: FormEvent) => {
    event.preventDefault();
    const items = used.map((i) => ({ indicator: i, weight: rows[i].weight, rule: rows[i].rule, ...(rows[i].rule === 'target' ? { target: rows[i].target } : {}) }));
    try {
      const body = { name, items, appealDays, answerDays };
      // Once saved, the form edits that scheme: a second press must not make a twin.
      const answer = editing
        ? await request<{ scheme: Scheme }>(props.session, 'PUT', `${props.base}/schemes/${editing.id}`, body)
        : await request<{ scheme: Scheme }>(props.session, 'POST', `${props.base}/schemes`, body);
      setEditing(answer.scheme);
      setMessage({ ok: true, text: t('performance.schemes.saved') });
      props.onSaved();
    } catch (e) {
      setMessage({ ok: false, text: t('common.error', { message: e instanceof Error ? e.message : String(e) }) });
    }
  };
  return (
    <section className="card" data-testid="scheme-editor">
      <h3>{t('performance.schemes.heading')}</h3>
      <p className="toolbar">
        {props.schemes.map((s) => (
          <button key={s.id} type="button" className={editing?.id === s.id ? 'primary' : ''} onClick={() => open(s)}>
            {t('performance.schemes.edit')} {s.name}
          </button>
        ))}
        <button type="button" onClick={() => open(null)} data-testid="scheme-new">
          {t('performance.schemes.new')}
        </button>
      </p>
      <form onSubmit={(e) => void save(e)}>
        <label>
          {t('performance.schemes.name')} <input value={name} onChange={(e) => setName(e.target.value)} required minLength={2} maxLength={40} data-testid="scheme-name" />
        </label>
        <table className="table">
          <thead>
            <tr>
              <th>{t('performance.schemes.include')}</th>
              <th />
              <th>{t('performance.schemes.weight')}</th>
              <th>{t('performance.schemes.rule')}</th>
              <th>{t('performance.schemes.target')}</th>
            </tr>
          </thead>
          <tbody>
            {props.indicators.map((i) => {
              const rate = RATE_INDICATORS.includes(i);
              return (
                <tr key={i}>
                  <td>
                    <input type="checkbox" checked={rows[i].use} onChange={(e) => set(i, { use: e.target.checked })} data-testid={`scheme-use-${i}`} />
                  </td>
                  <td>{t(`performance.indicators.${i}`)}</td>
                  <td>
                    <input type="number" min={1} max={1000} value={rows[i].weight} disabled={!rows[i].use} onChange={(e) => set(i, { weight: Number(e.target.value) })} data-testid={`scheme-weight-${i}`} />
                  </td>
                  <td>
                    <select value={rows[i].rule} disabled={!rows[i].use || rate} onChange={(e) => set(i, { rule: e.target.value as Row['rule'] })} data-testid={`scheme-rule-${i}`}>
                      {(rate ? (['rate'] as const) : (['relative', 'target'] as const)).map((r) => (
                        <option key={r} value={r}>
                          {t(`performance.rules.${r}`)}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>{rows[i].rule === 'target' && <input type="number" min={1} value={rows[i].target} disabled={!rows[i].use} onChange={(e) => set(i, { target: Number(e.target.value) })} />}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <p className="toolbar">
          <label>
            {t('performance.schemes.appealDays')} <input type="number" min={1} max={30} value={appealDays} onChange={(e) => setAppealDays(Number(e.target.value))} />
          </label>
          <label>
            {t('performance.schemes.answerDays')} <input type="number" min={1} max={30} value={answerDays} onChange={(e) => setAnswerDays(Number(e.target.value))} />
          </label>
          <span className="muted">{t('performance.schemes.fullMarks', { points: used.reduce((s, i) => s + rows[i].weight, 0) })}</span>
          <button type="submit" className="primary" disabled={used.length === 0} data-testid="scheme-save">
            {t('performance.schemes.save')}
          </button>
        </p>
        {message && <p className={message.ok ? 'ok' : 'error'} data-testid="scheme-message">{message.text}</p>}
      </form>
    </section>
  );
}
