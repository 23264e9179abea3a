import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Hall } from '@hall/shared';
import { request } from '../api';
import type { PageProps } from '../App';
import { FeedbackLine, useFeedback } from '../Feedback';
import { useGet } from '../useApi';

type DayKind = 'holiday' | 'workday';
interface CalendarDay {
  day: string;
  kind: DayKind;
  name: string;
}

const DAY_MS = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const weekdayOf = (day: string) => ((new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;

/** Every day from `from` to `to` inclusive (at most a month, as holidays come). */
function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`) && days.length < 31; t += DAY_MS) days.push(iso(t));
  return days;
}

/** 法定节假日 and 调休 working days of the hall, which working-day time limits follow. */
export function CalendarPage({ session, hallId, onConfigChanged }: PageProps) {
  const { t } = useTranslation();
  const [year, setYear] = useState(() => new Date().getFullYear());
  const hall = useGet<{ hall: Hall }>(session, `/halls/${hallId}`);
  const calendar = useGet<{ days: CalendarDay[] }>(session, `/admin/halls/${hallId}/calendar?from=${year}-01-01&to=${year}-12-31`);
  const { feedback, run } = useFeedback();
  const [draft, setDraft] = useState({ from: '', to: '', kind: 'holiday' as DayKind, name: '' });
  const change = async (body: { put?: CalendarDay[]; remove?: string[] }) => {
    if (await run(() => request(session, 'PUT', `/admin/halls/${hallId}/calendar`, body), t('calendar.saved'))) {
      calendar.reload();
      onConfigChanged();
    }
  };
  const add = async (event: FormEvent) => {
    event.preventDefault();
    const days = daysBetween(draft.from, draft.to || draft.from);
    await change({ put: days.map((day) => ({ day, kind: draft.kind, name: draft.name })) });
  };
  const weekdays = hall.data?.hall.openingHours.weekdays ?? [1, 2, 3, 4, 5];
  const days = calendar.data?.days ?? [];
  const byDay = new Map(days.map((d) => [d.day, d]));
  return (
    <div data-testid="calendar-page">
      <h2>{t('calendar.heading')}</h2>
      <p className="muted">
        {t('calendar.weekdays', { days: weekdays.map((d) => t(`calendar.weekday.${d}`)).join('、') })} {t('calendar.hint')}
      </p>
      <form className="card toolbar" onSubmit={(e) => void add(e)} data-testid="add-days">
        <label>
          {t('calendar.day')} <input type="date" name="from" required value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.target.value })} />
        </label>
        <label>
          {t('calendar.to')} <input type="date" name="to" min={draft.from} value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.target.value })} />
        </label>
        <label>
          {t('calendar.kind')}{' '}
          <select name="kind" value={draft.kind} onChange={(e) => setDraft({ ...draft, kind: e.target.value as DayKind })}>
            <option value="holiday">{t('calendar.kinds.holiday')}</option>
            <option value="workday">{t('calendar.kinds.workday')}</option>
          </select>
        </label>
        <label>
          {t('calendar.name')} <input name="name" required maxLength={32} value={draft.name} placeholder="国庆节" onChange={(e) => setDraft({ ...draft, name: e.target.value })} />
        </label>
        <button type="submit" className="primary">
          {t('calendar.add')}
        </button>
        <FeedbackLine feedback={feedback} testId="calendar-message" />
      </form>
      <div className="calendar-layout">
        <section className="card">
          <div className="card-head">
            <label>
              {t('calendar.year')}{' '}
              <select name="year" value={year} onChange={(e) => setYear(Number(e.target.value))}>
                {[year - 1, year, year + 1].map((y) => (
                  <option key={y} value={y}>
                    {y}
                  </option>
                ))}
              </select>
            </label>
          </div>
          {days.length === 0 && <p className="muted">{t('calendar.none')}</p>}
          <table data-testid="calendar-days">
            <tbody>
              {days.map((d) => (
                <tr key={d.day} data-testid={`day-${d.day}`} className={`day-${d.kind}`}>
                  <td>{d.day}</td>
                  <td>{t(`calendar.weekday.${weekdayOf(d.day)}`)}</td>
                  <td>
                    <span className={`pill pill-${d.kind}`}>{t(`calendar.kinds.${d.kind}`)}</span>
                  </td>
                  <td>{d.name}</td>
                  <td>
                    <button type="button" className="link danger" onClick={() => void change({ remove: [d.day] })}>
                      {t('calendar.remove')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section className="card year-grid" data-testid="year-grid">
          {Array.from({ length: 12 }, (_, m) => (
            <Month key={m} year={year} month={m} weekdays={weekdays} byDay={byDay} />
          ))}
        </section>
      </div>
    </div>
  );
}

function Month(props: { year: number; month: number; weekdays: readonly number[]; byDay: Map<string, CalendarDay> }) {
  const { t } = useTranslation();
  const first = Date.UTC(props.year, props.month, 1);
  const count = new Date(Date.UTC(props.year, props.month + 1, 0)).getUTCDate();
  const lead = weekdayOf(iso(first)) - 1;
  const cells = [...Array.from({ length: lead }, () => null), ...Array.from({ length: count }, (_, i) => iso(first + i * DAY_MS))];
  return (
    <div className="month">
      <div className="month-title">
        {props.year}-{String(props.month + 1).padStart(2, '0')}
      </div>
      <div className="month-days">
        {[1, 2, 3, 4, 5, 6, 7].map((d) => (
          <span key={`h${d}`} className="month-head">
            {t(`calendar.weekday.${d}`).slice(-1)}
          </span>
        ))}
        {cells.map((day, i) => {
          if (!day) return <span key={`e${i}`} />;
          const marked = props.byDay.get(day);
          const open = marked ? marked.kind === 'workday' : props.weekdays.includes(weekdayOf(day));
          const cls = marked ? `mark-${marked.kind}` : open ? 'open' : 'closed';
          return (
            <span key={day} className={`month-day ${cls}`} title={marked?.name}>
              {Number(day.slice(8))}
            </span>
          );
        })}
      </div>
    </div>
  );
}
