import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SYNC_PATHS, type Catalogue } from '@hall/shared';
import { BACKENDS } from '../testing/databases';
import { FIXTURE_PASSWORD } from '../testing/fixture';
import { apiCall, pushingDevice } from '../testing/devices';
import { startTestServer, type TestServer } from '../testing/server';

const pgUrl = inject('postgresUrl');

/**
 * 系统通知公告 through the real API: the hall manager posts, counters receive it in the
 * catalogue, a clerk's 已阅 arrives as a proven counter mutation and is counted once, and a
 * withdrawn announcement leaves the catalogue.
 */
describe.each(BACKENDS)('staff announcements on %s', (dialect) => {
  let server: TestServer;
  const tokens: Record<string, string> = {};
  const base = '/admin/halls/t1-hall/staff-announcements';
  const api = (method: 'GET' | 'POST', url: string, token: string, payload?: Record<string, unknown>) => apiCall(server, method, url, token, payload);
  let counterCredential = '';
  const catalogue = async () => (await api('GET', SYNC_PATHS.catalogue, counterCredential)).body as Catalogue;
  const listed = async () => (await api('GET', base, tokens.manager!)).body.announcements as { id: string; readCount: number; audienceCount: number; withdrawnAt: string | null }[];
  let counter: Awaited<ReturnType<typeof pushingDevice>>;

  beforeAll(async () => {
    server = await startTestServer(dialect, pgUrl);
    tokens.manager = await server.login('t1-manager');
    tokens.clerk = await server.login('t1-clerk');
    const officer = await api('POST', '/staff', tokens.manager, { id: 't1-officer-sa', hallId: 't1-hall', login: 't1-officer-sa', displayName: '孙*', staffNumber: 't1009', roles: ['officer'], password: FIXTURE_PASSWORD });
    expect(officer.status, JSON.stringify(officer.body)).toBe(201);
    counter = await pushingDevice(server, { id: 'sa-c1', role: 'counter', hall: 't1', managerToken: tokens.manager, counterId: 't1-c1', now: Date.now });
    counterCredential = counter.credential;
  });
  afterAll(async () => server.dispose());

  it('lets only a hall manager post, and refuses an announcement that has already ended or has no title', async () => {
    const post = { title: { zh: '系统升级' }, body: { zh: '今晚停机' }, audience: 'all' };
    expect((await api('POST', base, tokens.clerk!, post)).status).toBe(403);
    const ended = await api('POST', base, tokens.manager!, { ...post, validUntil: new Date(Date.now() - 60_000).toISOString() });
    expect(ended.status).toBe(400);
    expect(ended.body.error.message).toContain('validUntil');
    expect((await api('POST', base, tokens.manager!, { ...post, title: { zh: ' ' } })).status).toBe(400);
    expect(await listed()).toEqual([]);
  });

  it('carries a posted announcement to counters and counts a clerk’s 已阅 once, among its audience', async () => {
    const posted = await api('POST', base, tokens.manager!, { title: { zh: '本周六加班' }, body: { zh: '周六上午窗口照常开放。' }, audience: 'clerk' });
    expect(posted.status, JSON.stringify(posted.body)).toBe(201);
    const id = posted.body.announcement.id as string;
    expect(posted.body.announcement).toMatchObject({ readCount: 0, audienceCount: 1 });
    expect((await catalogue()).staffAnnouncements).toEqual([expect.objectContaining({ id, audience: 'clerk', readBy: [] })]);

    const read = { announcementId: id, staffId: 't1-clerk', counterId: 't1-c1' };
    expect(await counter.push('readStaffAnnouncement', read)).toMatchObject({ status: 'applied' });
    // Pressed again at another sign-in before the catalogue caught up: still one reader.
    expect(await counter.push('readStaffAnnouncement', read)).toMatchObject({ status: 'applied' });
    expect((await listed()).find((a) => a.id === id)).toMatchObject({ readCount: 1, audienceCount: 1 });
    expect((await catalogue()).staffAnnouncements?.find((a) => a.id === id)?.readBy).toEqual(['t1-clerk']);
  });

  it('refuses a 已阅 from a kiosk and one without the clerk’s fields', async () => {
    const kiosk = await pushingDevice(server, { id: 'sa-k1', role: 'kiosk', hall: 't1', managerToken: tokens.manager!, now: Date.now });
    const id = (await listed())[0]!.id;
    expect(await kiosk.push('readStaffAnnouncement', { announcementId: id, staffId: 't1-clerk', counterId: 't1-c1' })).toMatchObject({ status: 'rejected', code: 'forbidden_for_role' });
    expect(await counter.push('readStaffAnnouncement', { announcementId: id })).toMatchObject({ status: 'rejected' });
  });

  it('takes a withdrawn announcement off the counters, keeping its reads for the console', async () => {
    const [latest] = await listed();
    const withdrawn = await api('POST', `${base}/${latest!.id}/withdraw`, tokens.manager!, {});
    expect(withdrawn.status).toBe(200);
    expect((await catalogue()).staffAnnouncements?.some((a) => a.id === latest!.id)).toBe(false);
    expect((await listed()).find((a) => a.id === latest!.id)).toMatchObject({ readCount: 1, withdrawnAt: expect.any(String) });
    expect((await api('POST', `${base}/no-such/withdraw`, tokens.manager!, {})).status).toBe(404);
  });

  it('shows officers theirs in the back office, and counts an officer’s 已阅 once', async () => {
    const officerToken = await server.login('t1-officer-sa');
    const inbox = '/halls/t1-hall/back-office/announcements';
    const mine = async () => (await api('GET', inbox, officerToken)).body.announcements as { id: string; read: boolean }[];
    const toOfficers = await api('POST', base, tokens.manager!, { title: { zh: '审批系统维护' }, body: { zh: '周五晚八点起暂停两小时。' }, audience: 'officer' });
    const toAll = await api('POST', base, tokens.manager!, { title: { zh: '全员会议' }, body: { zh: '周一早八点。' }, audience: 'all' });
    const toClerks = await api('POST', base, tokens.manager!, { title: { zh: '窗口排班' }, body: { zh: '见附表。' }, audience: 'clerk' });
    const later = await api('POST', base, tokens.manager!, { title: { zh: '下月生效' }, body: { zh: '新规。' }, audience: 'officer', validFrom: new Date(Date.now() + 86_400_000).toISOString() });
    const [officerId, allId, clerkId, laterId] = [toOfficers, toAll, toClerks, later].map((r) => r.body.announcement.id as string);
    const shown = (await mine()).map((a) => a.id);
    expect(shown).toEqual(expect.arrayContaining([officerId, allId]));
    expect(shown).not.toContain(clerkId);
    expect(shown).not.toContain(laterId);
    expect((await mine()).find((a) => a.id === officerId)?.read).toBe(false);

    expect((await api('POST', `${inbox}/${officerId}/read`, officerToken, {})).status).toBe(200);
    expect((await api('POST', `${inbox}/${officerId}/read`, officerToken, {})).status).toBe(200);
    expect((await mine()).find((a) => a.id === officerId)?.read).toBe(true);
    expect((await listed()).find((a) => a.id === officerId)).toMatchObject({ readCount: 1, audienceCount: 1 });
    expect((await api('POST', `${inbox}/no-such/read`, officerToken, {})).status).toBe(404);
    // A clerk reads theirs at the counter, not here.
    expect((await api('GET', inbox, tokens.clerk!)).status).toBe(403);
  });
});
