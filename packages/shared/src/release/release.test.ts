import { describe, expect, it } from 'vitest';
import { emptyQueueState } from '../queue/state';
import { TestHall } from '../queue/testHall';
import { priorityGroupNeedsRelease, ReleaseClaimSchema } from './release';

const proof = 'p'.repeat(43);
const release = (maxUses = 1, kind: 'special' | 'on_site' = 'special') => ({ passwordId: 'rel-1', serial: 1, kind, maxUses, proof, reason: 'disability' as const });
const released = (ticketId: string, extra: Record<string, unknown>, serviceIds = ['hz1']) =>
  ({ type: 'issueTicket', ticketId, queueId: 'qa', serviceIds, kind: 'walk_in', ...extra }) as const;

describe('released tickets in the engine (every station and the server)', () => {
  it('records the password on the ticket and refuses a use beyond its count, wherever the first came from', () => {
    const hall = new TestHall(emptyQueueState());
    hall.do(released('t1', { priorityGroupId: 'military', release: release() }));
    expect(hall.state.tickets.t1).toMatchObject({ releasePasswordId: 'rel-1', priorityGroupId: 'military' });
    // A second kiosk's ticket with the same single-use password, met on the merged hall state.
    expect(hall.try(released('t2', { priorityGroupId: 'military', release: release() }))).toMatchObject({ ok: false, rejection: { code: 'release_used' } });
    hall.do(released('t3', { priorityGroupId: 'military', release: { ...release(2), passwordId: 'rel-2' } }));
    hall.do(released('t4', { priorityGroupId: 'military', release: { ...release(2), passwordId: 'rel-2' } }));
    expect(hall.try(released('t5', { priorityGroupId: 'military', release: { ...release(2), passwordId: 'rel-2' } }))).toMatchObject({ ok: false, rejection: { code: 'release_used' } });
  });

  it('wants a group on a special release and none on an on-site one', () => {
    const hall = new TestHall(emptyQueueState());
    expect(hall.try(released('t1', { release: release() }))).toMatchObject({ ok: false, rejection: { code: 'release_mismatch' } });
    expect(hall.try(released('t2', { priorityGroupId: 'military', release: release(1, 'on_site') }))).toMatchObject({ ok: false, rejection: { code: 'release_mismatch' } });
    expect(hall.try(released('t3', { release: release(1, 'on_site') }))).toMatchObject({ ok: true });
  });

  it('lets a released ticket past the daily cap, which still stops the citizens', () => {
    const hall = new TestHall(emptyQueueState());
    for (const id of ['a', 'b', 'c']) hall.do(released(id, {}, ['hz2']));
    expect(hall.try(released('d', {}, ['hz2']))).toMatchObject({ ok: false, rejection: { code: 'daily_cap_reached' } });
    expect(hall.try(released('e', { release: release(1, 'on_site') }, ['hz2']))).toMatchObject({ ok: true });
  });

  it('needs a release for a group no ID card reveals, and a note for the reason "other"', () => {
    expect(priorityGroupNeedsRelease({ minAge: 60 })).toBe(false);
    expect(priorityGroupNeedsRelease({})).toBe(true);
    expect(priorityGroupNeedsRelease(undefined)).toBe(false);
    expect(ReleaseClaimSchema.safeParse({ ...release(), reason: 'other' }).success).toBe(false);
    expect(ReleaseClaimSchema.safeParse({ ...release(), reason: 'other', note: '窗口协调' }).success).toBe(true);
  });
});
