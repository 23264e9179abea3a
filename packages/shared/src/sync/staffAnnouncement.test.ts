import { describe, expect, it } from 'vitest';
import { announcementForClerk, type CatalogueStaffAnnouncement } from './staffAnnouncement';

const notice = (over: Partial<CatalogueStaffAnnouncement>): CatalogueStaffAnnouncement => ({
  id: 'a1',
  title: { zh: '通知' },
  body: { zh: '内容' },
  audience: 'all',
  validFrom: '2026-03-02T00:00:00.000Z',
  validUntil: '2026-03-09T00:00:00.000Z',
  readBy: [],
  ...over,
});

describe('announcementForClerk', () => {
  it('shows notices for all staff and for clerks while in force', () => {
    expect(announcementForClerk(notice({}), '2026-03-05T00:00:00.000Z')).toBe(true);
    expect(announcementForClerk(notice({ audience: 'clerk', validUntil: null }), '2027-01-01T00:00:00.000Z')).toBe(true);
  });

  it('hides officers’ notices and ones not yet or no longer in force', () => {
    expect(announcementForClerk(notice({ audience: 'officer' }), '2026-03-05T00:00:00.000Z')).toBe(false);
    expect(announcementForClerk(notice({}), '2026-03-01T23:59:59.000Z')).toBe(false);
    expect(announcementForClerk(notice({}), '2026-03-09T00:00:00.000Z')).toBe(false);
  });
});
