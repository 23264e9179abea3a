import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OfficerAnnouncement } from '@hall/shared';
import { request } from '../../api';
import type { PageProps } from '../../App';
import { useGet } from '../../useApi';
import { CaseView } from './CaseView';
import { HandoffScan } from './Handoffs';
import { shortTime, WORK_STAGES, type StaffNotice, type WorkItem, type WorkStage } from './types';

/**
 * 后台审批: the officer's work list (by stage, soonest deadline first, overdue marked), the
 * inbox of transfers and questions, and the case they opened. Hall managers see the whole
 * hall's list here too (they approve withdrawals).
 */
export function BackOfficePage(props: PageProps) {
  const { session, hallId } = props;
  const { t, i18n } = useTranslation();
  const en = i18n.language.startsWith('en');
  const [stage, setStage] = useState<WorkStage | ''>('');
  const [mine, setMine] = useState(false);
  const [draft, setDraft] = useState('');
  const [q, setQ] = useState('');
  const [openId, setOpenId] = useState<string>();
  const query = new URLSearchParams();
  if (stage) query.set('stage', stage);
  if (mine) query.set('mine', '1');
  if (q) query.set('q', q);
  const list = useGet<{ cases: WorkItem[] }>(session, `/halls/${hallId}/back-office/cases?${query.toString()}`, 30_000);
  const notices = useGet<{ notices: StaffNotice[] }>(session, `/halls/${hallId}/back-office/notices`, 30_000);
  // 系统通知公告 to officers: the hall manager's announcements, read here (counters get theirs on screen).
  const announcements = useGet<{ announcements: OfficerAnnouncement[] }>(session, `/halls/${hallId}/back-office/announcements`, 60_000);
  const [shownAnnouncement, setShownAnnouncement] = useState<string>();
  const unread = (notices.data?.notices ?? []).filter((n) => !n.read).length + (announcements.data?.announcements ?? []).filter((a) => !a.read).length;
  const openAnnouncement = async (announcement: OfficerAnnouncement) => {
    setShownAnnouncement(shownAnnouncement === announcement.id ? undefined : announcement.id);
    if (announcement.read) return;
    await request(session, 'POST', `/halls/${hallId}/back-office/announcements/${announcement.id}/read`).catch(() => undefined);
    announcements.reload();
  };
  const text = (value: { zh: string; en?: string | undefined }) => (en && value.en ? value.en : value.zh);
  const openNotice = async (notice: StaffNotice) => {
    if (!notice.read) await request(session, 'POST', `/halls/${hallId}/back-office/notices/${notice.id}/read`).catch(() => undefined);
    notices.reload();
    if (notice.caseId) setOpenId(notice.caseId);
  };
  return (
    <div className="backoffice" data-testid="backoffice">
      <div className="backoffice-side">
        <HandoffScan session={session} hallId={hallId} onSigned={list.reload} />
        <section className="card">
          <div className="card-head">
            <h2>{t('backoffice.heading')}</h2>
            <label>
              <input type="checkbox" checked={mine} onChange={(e) => setMine(e.target.checked)} data-testid="bo-mine" /> {t('backoffice.mine')}
            </label>
          </div>
          <div className="toolbar">
            <div className="stage-tabs" role="tablist">
              {(['', ...WORK_STAGES] as const).map((s) => (
                <button key={s || 'all'} type="button" role="tab" aria-selected={stage === s} className={stage === s ? 'active' : ''} onClick={() => setStage(s)} data-testid={`bo-stage-${s || 'all'}`}>
                  {s ? t(`supervision.stages.${s}`) : t('backoffice.all')}
                </button>
              ))}
            </div>
            <form
              className="grow"
              onSubmit={(e) => {
                e.preventDefault();
                setQ(draft.trim());
              }}
            >
              <input placeholder={t('backoffice.search')} value={draft} onChange={(e) => setDraft(e.target.value)} data-testid="bo-search" />
              <button type="submit">{t('backoffice.find')}</button>
              {q && (
                <button
                  type="button"
                  className="link"
                  onClick={() => {
                    setDraft('');
                    setQ('');
                  }}
                >
                  {t('backoffice.clear')}
                </button>
              )}
            </form>
          </div>
          {list.error && <p className="error">{t('common.error', { message: list.error })}</p>}
          {list.data && list.data.cases.length === 0 && <p className="muted">{t('backoffice.none')}</p>}
          {list.data && list.data.cases.length > 0 && (
            <table data-testid="bo-list">
              <thead>
                <tr>
                  <th>{t('backoffice.number')}</th>
                  <th>{t('backoffice.service')}</th>
                  <th>{t('backoffice.stage')}</th>
                  <th>{t('backoffice.due')}</th>
                </tr>
              </thead>
              <tbody>
                {list.data.cases.map((c) => (
                  <tr
                    key={c.id}
                    className={`clickable${c.overdue ? ' row-red' : ''}${c.id === openId ? ' selected' : ''}`}
                    onClick={() => setOpenId(c.id)}
                    data-testid={`bo-case-${c.number ?? c.id}`}
                    data-overdue={c.overdue}
                  >
                    <td>
                      <button type="button" className="link" onClick={() => setOpenId(c.id)}>
                        {c.number ?? c.id.slice(0, 8)}
                      </button>
                      <div className="muted small">{c.citizen ?? ''}</div>
                    </td>
                    <td>
                      {en ? (c.serviceName.en ?? c.serviceName.zh) : c.serviceName.zh}
                      <div className="flags">
                        {c.consultPending && <span className="badge warn">{t('backoffice.flags.consult')}</span>}
                        {c.withdrawalPending && <span className="badge warn">{t('backoffice.flags.withdrawal')}</span>}
                        {c.pendingMaterials > 0 && <span className="badge">{t('backoffice.flags.pending', { count: c.pendingMaterials })}</span>}
                      </div>
                    </td>
                    <td>{t(`supervision.stages.${c.stage}`)}</td>
                    <td>
                      {shortTime(c.stageDueAt)}
                      {c.overdue && <span className="badge overdue">{t('backoffice.overdue')}</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <section className="card" data-testid="bo-inbox">
          <div className="card-head">
            <h3>{t('backoffice.inbox')}</h3>
            {unread > 0 && (
              <span className="badge unread" data-testid="bo-unread">
                {t('backoffice.unread', { count: unread })}
              </span>
            )}
          </div>
          {(notices.data?.notices ?? []).length === 0 && (announcements.data?.announcements ?? []).length === 0 && <p className="muted">{t('backoffice.noNotices')}</p>}
          <ul className="notices">
            {(announcements.data?.announcements ?? []).map((a) => (
              <li key={a.id} className={a.read ? 'read' : 'unread'} data-testid="bo-announcement">
                <button type="button" className="link" onClick={() => void openAnnouncement(a)}>
                  <strong>{t('backoffice.noticeKinds.announcement')}</strong> {text(a.title)}
                </button>
                <span className="muted small">{shortTime(a.validFrom)}</span>
                {shownAnnouncement === a.id && (
                  <p className="announcement-body" data-testid="bo-announcement-body">
                    {text(a.body)}
                  </p>
                )}
              </li>
            ))}
            {(notices.data?.notices ?? []).map((n) => (
              <li key={n.id} className={n.read ? 'read' : 'unread'} data-testid={`bo-notice-${n.kind}`}>
                <button type="button" className="link" onClick={() => void openNotice(n)}>
                  <strong>{t(`backoffice.noticeKinds.${n.kind}`, { defaultValue: n.kind })}</strong> {n.text}
                </button>
                <span className="muted small">{shortTime(n.at)}</span>
              </li>
            ))}
          </ul>
        </section>
      </div>
      <div className="backoffice-main">
        {openId ? (
          <CaseView {...props} caseId={openId} onChanged={list.reload} onClose={() => setOpenId(undefined)} />
        ) : (
          <section className="card muted">{t('backoffice.pick')}</section>
        )}
      </div>
    </div>
  );
}
