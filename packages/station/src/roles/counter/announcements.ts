import { announcementForClerk, type CatalogueStaffAnnouncement, type ClerkSession } from '@hall/shared';
import type { StationCore } from '../../core';
import { LocalRejection } from '../../store/store';
import type { CounterRepository } from './repository';

const READS_KEY = 'staffAnnouncementReads';

/**
 * 系统通知公告 at the counter (issue 20): the announcements in the cached catalogue that the
 * signed-in clerk has not marked 已阅. A read is kept here at once (so it holds offline and
 * across sign-ins before the central API hears of it) and synced as the clerk's
 * readStaffAnnouncement; the catalogue's `readBy` then carries it to the hall's other counters.
 */
export class CounterAnnouncements {
  constructor(
    private readonly core: StationCore,
    private readonly repository: CounterRepository,
    private readonly role: { requireSession(): ClerkSession },
    private readonly now: () => number,
  ) {}

  unread(): CatalogueStaffAnnouncement[] {
    const { staffId } = this.role.requireSession();
    const read = new Set(this.readsHere()[staffId] ?? []);
    const now = new Date(this.now()).toISOString();
    return this.live().filter((a) => announcementForClerk(a, now) && !a.readBy.includes(staffId) && !read.has(a.id));
  }

  read(announcementId: string): void {
    const session = this.role.requireSession();
    const announcement = this.live().find((a) => a.id === announcementId);
    if (!announcement) throw new LocalRejection('unknown_announcement', `announcement ${announcementId} is not (or no longer) in force in this hall`);
    const reads = this.readsHere();
    const mine = reads[session.staffId] ?? [];
    if (mine.includes(announcementId) || announcement.readBy.includes(session.staffId)) return;
    // Committed under the clerk's session proof, like every counter mutation.
    this.core.store.commit({
      type: 'readStaffAnnouncement',
      payload: { announcementId, staffId: session.staffId, counterId: session.counterId, at: new Date(this.now()).toISOString() },
    });
    // Only ids still in the catalogue are kept, so the row stays as small as the hall's notices.
    const live = new Set(this.live().map((a) => a.id));
    const pruned = Object.fromEntries(Object.entries({ ...reads, [session.staffId]: [...mine, announcementId] }).map(([k, ids]) => [k, ids.filter((id) => live.has(id))]));
    this.repository.writeMeta(READS_KEY, pruned);
  }

  private live(): CatalogueStaffAnnouncement[] {
    return this.core.store.catalogue?.staffAnnouncements ?? [];
  }

  private readsHere(): Record<string, string[]> {
    return this.repository.readMeta<Record<string, string[]>>(READS_KEY) ?? {};
  }
}
