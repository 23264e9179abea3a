import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CatalogueStaffAnnouncement } from '@hall/shared';
import { localized, useRoleStation } from '@hall/ui';
import { useDesk } from './state';

/**
 * 系统通知公告 (issue 20): after sign-in the clerk's unread announcements stand over the desk,
 * one at a time, until the clerk presses 已阅 on each. The list comes from the station's
 * cached catalogue, so this works with the central API away.
 */
export function StaffAnnouncements() {
  const { t, i18n } = useTranslation();
  const station = useRoleStation<'counter'>();
  const { session } = useDesk();
  const [unread, setUnread] = useState<CatalogueStaffAnnouncement[]>([]);
  const [error, setError] = useState<string>();
  const staffId = session?.staffId;
  const reload = useCallback(() => void station.call('announcements.unread', {}).then(setUnread, () => setUnread([])), [station]);
  useEffect(() => {
    if (!staffId) return setUnread([]);
    reload();
  }, [reload, staffId]);
  const first = unread[0];
  if (!first) return null;
  const read = async () => {
    try {
      await station.call('announcements.read', { announcementId: first.id });
      setError(undefined);
      setUnread((list) => list.slice(1));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      // Withdrawn meanwhile: the fresh list no longer holds it, so the clerk is not stuck on it.
      reload();
    }
  };
  const title = localized(first.title, i18n.language);
  return (
    <div className="modal-backdrop">
      <div className="modal announcement-modal" role="dialog" aria-label={title} data-testid="staff-announcement">
        <p className="muted">{t('announcement.heading', { count: unread.length })}</p>
        <h2>{title}</h2>
        <div className="announcement-body">{localized(first.body, i18n.language)}</div>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="modal-actions">
          <button type="button" className="btn primary big" data-testid="announcement-read" onClick={() => void read()}>
            {t('announcement.read')}
          </button>
        </div>
      </div>
    </div>
  );
}
