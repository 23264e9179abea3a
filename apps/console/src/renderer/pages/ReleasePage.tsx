import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { priorityGroupNeedsRelease, type CallingRules, type ReleaseKind } from '@hall/shared';
import { download, request } from '../api';
import type { PageProps } from '../App';
import { useLocalized } from '../localized';
import { useGet } from '../useApi';

interface Password {
  id: string;
  day: string;
  serial: number;
  kind: ReleaseKind;
  priorityGroupId: string | null;
  maxUses: number;
  used: number;
  revokedAt: string | null;
}

interface Released {
  ticketId: string;
  day: string;
  number: string;
  serial: number;
  kind: ReleaseKind;
  priorityGroupId: string | null;
  reason: string;
  note: string | null;
  deviceId: string;
  issuedAt: string;
}

/** Days of the browser's time zone (the hall's, in a hall), as the stats page does. */
const day = (d: Date) => d.toLocaleDateString('sv-SE');
const today = () => day(new Date());
const tomorrow = () => day(new Date(Date.now() + 86_400_000));

/**
 * 放号密码 and 现场号/特殊号登记监督: a hall manager creates a password (its code is shown
 * here once and never again), sees the issued ones masked with their uses, revokes one; the
 * tickets issued with them are listed by date and kind and exported (audited).
 */
export function ReleasePage({ session, hallId }: PageProps) {
  const { t } = useTranslation();
  const { text } = useLocalized();
  const hall = useGet<{ callingRules: CallingRules | null }>(session, `/halls/${hallId}`);
  const groups = (hall.data?.callingRules?.priorityGroups ?? []).filter(priorityGroupNeedsRelease);
  const [draft, setDraft] = useState({ day: today(), kind: 'special' as ReleaseKind, priorityGroupId: '', maxUses: 1 });
  const [created, setCreated] = useState<{ code: string; day: string; uses: number }>();
  const [error, setError] = useState<string>();
  const [range, setRange] = useState({ from: today(), to: today(), kind: '' });
  const [shown, setShown] = useState(range);
  const [exportState, setExportState] = useState<string>();
  const passwords = useGet<{ passwords: Password[] }>(session, `/admin/halls/${hallId}/release-passwords?from=${today()}&to=${tomorrow()}`);
  const query = `from=${shown.from}&to=${shown.to}${shown.kind ? `&kind=${shown.kind}` : ''}`;
  const tickets = useGet<{ tickets: Released[] }>(session, `/admin/halls/${hallId}/released-tickets?${query}`);
  const groupName = (id: string | null) => {
    const group = groups.find((g) => g.id === id);
    return group ? text(group.name) : (id ?? '—');
  };
  const failed = (e: unknown) => setError(t('common.error', { message: e instanceof Error ? e.message : String(e) }));

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    setCreated(undefined);
    try {
      const group = draft.kind === 'special' ? { priorityGroupId: draft.priorityGroupId || groups[0]?.id } : {};
      const answer = await request<{ code: string; day: string }>(session, 'POST', `/admin/halls/${hallId}/release-passwords`, { day: draft.day, kind: draft.kind, maxUses: draft.maxUses, ...group });
      setCreated({ code: answer.code, day: answer.day, uses: draft.maxUses });
      passwords.reload();
    } catch (e) {
      failed(e);
    }
  };
  const revoke = async (id: string) => {
    if (!window.confirm(t('release.confirmRevoke'))) return;
    try {
      await request(session, 'POST', `/admin/halls/${hallId}/release-passwords/${id}/revoke`);
      passwords.reload();
    } catch (e) {
      failed(e);
    }
  };
  const doExport = async () => {
    setExportState(undefined);
    try {
      await download(session, `/admin/halls/${hallId}/released-tickets/export?${query}`, 'released-tickets.csv');
      setExportState(t('release.exported'));
    } catch (e) {
      setExportState(t('common.error', { message: e instanceof Error ? e.message : String(e) }));
    }
  };

  return (
    <div data-testid="release-page">
      <h2>{t('release.heading')}</h2>
      <form className="card toolbar" onSubmit={(e) => void create(e)}>
        <label>
          {t('release.day')}{' '}
          <select value={draft.day} onChange={(e) => setDraft({ ...draft, day: e.target.value })} data-testid="release-day">
            <option value={today()}>{today()}</option>
            <option value={tomorrow()}>{tomorrow()}</option>
          </select>
        </label>
        <label>
          {t('release.kind')}{' '}
          <select value={draft.kind} onChange={(e) => setDraft({ ...draft, kind: e.target.value as ReleaseKind })} data-testid="release-kind">
            <option value="special">{t('release.kinds.special')}</option>
            <option value="on_site">{t('release.kinds.on_site')}</option>
          </select>
        </label>
        {draft.kind === 'special' && (
          <label>
            {t('release.group')}{' '}
            <select value={draft.priorityGroupId || groups[0]?.id || ''} onChange={(e) => setDraft({ ...draft, priorityGroupId: e.target.value })} data-testid="release-group">
              {groups.map((g) => (
                <option key={g.id} value={g.id}>
                  {text(g.name)}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          {t('release.maxUses')}{' '}
          <input type="number" min={1} max={50} value={draft.maxUses} onChange={(e) => setDraft({ ...draft, maxUses: Number(e.target.value) })} data-testid="release-uses" />
        </label>
        <button type="submit" className="primary" data-testid="release-create">
          {t('release.generate')}
        </button>
      </form>
      {created && (
        <p className="card release-secret" role="status">
          {t('release.code')}
          <strong className="release-code" data-testid="release-code">
            {created.code}
          </strong>{' '}
          <span className="muted">{t('release.codeHint', { day: created.day, uses: created.uses })}</span>
        </p>
      )}
      {error && <p className="error">{error}</p>}
      <section className="card">
        <h3>{t('release.list')}</h3>
        <table data-testid="release-passwords">
          <thead>
            <tr>
              <th>{t('release.day')}</th>
              <th>{t('release.serial')}</th>
              <th>{t('release.password')}</th>
              <th>{t('release.kind')}</th>
              <th>{t('release.group')}</th>
              <th>{t('release.used')}</th>
              <th>{t('release.status')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {(passwords.data?.passwords ?? []).map((p) => (
              <tr key={p.id} data-testid={`release-password-${p.serial}`}>
                <td>{p.day}</td>
                <td>{p.serial}</td>
                <td className="muted">••••••••</td>
                <td>{t(`release.kinds.${p.kind}`)}</td>
                <td>{p.kind === 'special' ? groupName(p.priorityGroupId) : '—'}</td>
                <td>
                  {p.used}/{p.maxUses}
                </td>
                <td>{p.revokedAt ? t('release.revoked') : t('release.live')}</td>
                <td>
                  {!p.revokedAt && (
                    <button type="button" onClick={() => void revoke(p.id)} data-testid={`release-revoke-${p.serial}`}>
                      {t('release.revoke')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="card">
        <h3>{t('release.tickets')}</h3>
        <form
          className="toolbar"
          onSubmit={(e) => {
            e.preventDefault();
            setShown(range);
          }}
        >
          <label>
            {t('release.from')} <input type="date" value={range.from} onChange={(e) => setRange({ ...range, from: e.target.value })} />
          </label>
          <label>
            {t('release.to')} <input type="date" value={range.to} onChange={(e) => setRange({ ...range, to: e.target.value })} />
          </label>
          <label>
            {t('release.kind')}{' '}
            <select value={range.kind} onChange={(e) => setRange({ ...range, kind: e.target.value })} data-testid="released-kind">
              <option value="">{t('release.all')}</option>
              <option value="special">{t('release.kinds.special')}</option>
              <option value="on_site">{t('release.kinds.on_site')}</option>
            </select>
          </label>
          <button type="submit" data-testid="released-load">
            {t('release.load')}
          </button>
          <button type="button" onClick={() => void doExport()} data-testid="released-export">
            {t('release.export')}
          </button>
          {exportState && <span className="muted">{exportState}</span>}
        </form>
        {(tickets.data?.tickets ?? []).length === 0 && <p className="muted">{t('release.none')}</p>}
        <table data-testid="released-tickets">
          <thead>
            <tr>
              <th>{t('release.date')}</th>
              <th>{t('release.number')}</th>
              <th>{t('release.kind')}</th>
              <th>{t('release.group')}</th>
              <th>{t('release.reason')}</th>
              <th>{t('release.note')}</th>
              <th>{t('release.kiosk')}</th>
              <th>{t('release.serial')}</th>
              <th>{t('release.issuedAt')}</th>
            </tr>
          </thead>
          <tbody>
            {(tickets.data?.tickets ?? []).map((r) => (
              <tr key={r.ticketId} data-testid="released-ticket">
                <td>{r.day}</td>
                <td>{r.number}</td>
                <td>{t(`release.kinds.${r.kind}`)}</td>
                <td>{r.kind === 'special' ? groupName(r.priorityGroupId) : '—'}</td>
                <td>{t(`release.reasons.${r.reason}`)}</td>
                <td>{r.note ?? ''}</td>
                <td>{r.deviceId}</td>
                <td>{r.serial}</td>
                <td>{new Date(r.issuedAt).toLocaleTimeString('zh-CN', { hour12: false })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
