import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { API, download, request, type StaffSession } from '../../api';
import { useGet } from '../../useApi';
import { PeriodPicker } from './PeriodPicker';
import type { EventView } from '@hall/shared';
import type { Clerk } from './types';


/** 事件记录管理: bonus and penalty events by hand (one or several clerks) or from the sheet template. */
export function EventsSection(props: { session: StaffSession; base: string; clerks: Clerk[]; period: string; onPeriod: (period: string) => void; onChanged: () => void }) {
  const { t } = useTranslation();
  const events = useGet<{ events: EventView[] }>(props.session, `${props.base}/events?period=${props.period}`);
  const [staffIds, setStaffIds] = useState<string[]>([]);
  const [day, setDay] = useState(() => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10));
  const [kind, setKind] = useState<'bonus' | 'penalty'>('bonus');
  const [points, setPoints] = useState(1);
  const [reason, setReason] = useState('');
  const [counts, setCounts] = useState(true);
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const nameOf = (id: string) => props.clerks.find((c) => c.id === id)?.name ?? id;
  const done = (text: string) => {
    setMessage({ ok: true, text });
    events.reload();
    props.onChanged();
  };
  const fail = (e: unknown) => setMessage({ ok: false, text: t('common.error', { message: e instanceof Error ? e.message : String(e) }) });
  const record = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const answer = await request<{ recorded: number }>(props.session, 'POST', `${props.base}/events`, { staffIds, day, kind, points, reason, counts });
      setReason('');
      done(t('performance.eventsSection.recorded', { count: answer.recorded }));
    } catch (e) {
      fail(e);
    }
  };
  // The sheet's line-by-line problems are in the error's details, which the shared request helper drops.
  const upload = async (file: File) => {
    const response = await fetch(`${API}${props.base}/events/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${props.session.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ csv: await file.text() }),
    });
    const body = (await response.json()) as { recorded?: number; error?: { message: string; details?: string[] } };
    if (response.ok) done(t('performance.eventsSection.uploaded', { count: body.recorded }));
    else fail(new Error([body.error?.message, ...(body.error?.details ?? [])].join('；')));
  };
  return (
    <section className="card" data-testid="events-section">
      <div className="card-head">
        <h3>{t('performance.eventsSection.heading')}</h3>
        <PeriodPicker value={props.period} onChange={props.onPeriod} testId="events-period" />
      </div>
      <form onSubmit={(e) => void record(e)}>
        <p className="toolbar">
          <span>{t('performance.eventsSection.clerks')}</span>
          {props.clerks.map((c) => (
            <label key={c.id} className="choice">
              <input
                type="checkbox"
                checked={staffIds.includes(c.id)}
                onChange={(e) => setStaffIds(e.target.checked ? [...staffIds, c.id] : staffIds.filter((id) => id !== c.id))}
                data-testid={`event-clerk-${c.staffNumber}`}
              />{' '}
              {c.name}（{c.staffNumber}）
            </label>
          ))}
        </p>
        <p className="toolbar">
          <label>
            {t('performance.eventsSection.day')} <input type="date" value={day} onChange={(e) => setDay(e.target.value)} required data-testid="event-day" />
          </label>
          <label>
            {t('performance.eventsSection.kind')}{' '}
            <select value={kind} onChange={(e) => setKind(e.target.value as 'bonus' | 'penalty')} data-testid="event-kind">
              <option value="bonus">{t('performance.eventsSection.bonus')}</option>
              <option value="penalty">{t('performance.eventsSection.penalty')}</option>
            </select>
          </label>
          <label>
            {t('performance.eventsSection.points')} <input type="number" min={0.5} max={100} step={0.5} value={points} onChange={(e) => setPoints(Number(e.target.value))} data-testid="event-points" />
          </label>
          <label className="grow">
            {t('performance.eventsSection.reason')} <input value={reason} onChange={(e) => setReason(e.target.value)} required minLength={2} maxLength={200} data-testid="event-reason" />
          </label>
          <label>
            <input type="checkbox" checked={counts} onChange={(e) => setCounts(e.target.checked)} data-testid="event-counts" /> {t('performance.eventsSection.counts')}
          </label>
          <button type="submit" disabled={staffIds.length === 0} data-testid="event-record">
            {t('performance.eventsSection.record')}
          </button>
        </p>
      </form>
      <p className="toolbar">
        <button type="button" onClick={() => void download(props.session, `${props.base}/events/template.csv`, 'performance-events.csv').catch(fail)}>
          {t('performance.eventsSection.template')}
        </button>
        <label>
          {t('performance.eventsSection.upload')}{' '}
          <input type="file" accept=".csv,text/csv" onChange={(e) => e.target.files?.[0] && void upload(e.target.files[0]).catch(fail)} data-testid="event-upload" />
        </label>
      </p>
      {message && <p className={message.ok ? 'ok' : 'error'} data-testid="event-message">{message.text}</p>}
      {(events.data?.events ?? []).length === 0 ? (
        <p className="muted">{t('performance.eventsSection.none')}</p>
      ) : (
        <table className="table" data-testid="events-table">
          <tbody>
            {(events.data?.events ?? []).map((e) => (
              <tr key={e.id}>
                <td>{e.day}</td>
                <td>{nameOf(e.staffId)}</td>
                <td className="num">{e.kind === 'bonus' ? `+${e.points}` : `−${e.points}`}</td>
                <td>{e.reason}</td>
                <td className="muted">
                  {t(`performance.eventsSection.source.${e.source}`)}
                  {!e.counts && ` · ${t('common.no')}${t('performance.eventsSection.counts')}`}
                </td>
                <td>
                  <button type="button" onClick={() => void request(props.session, 'DELETE', `${props.base}/events/${e.id}`).then(() => done(t('performance.eventsSection.remove')), fail)}>
                    {t('performance.eventsSection.remove')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
