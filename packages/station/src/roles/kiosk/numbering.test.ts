import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { zonedInstant } from '@hall/shared';
import { StationCore } from '../../core';
import { testCatalogue } from '../../testing/hall';
import { openKioskDb } from './kioskDb';
import { KioskRole } from './role';

const DAY = '2026-11-23';
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A kiosk whose hall has a certificate pickup queue (领证号) beside the test hall's queues. */
function kiosk() {
  const now = () => zonedInstant(DAY, '10:00', 'Asia/Shanghai');
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-numbering-'));
  dirs.push(dir);
  const core = StationCore.open(join(dir, 'station.db'), { deviceId: 'k1', hallId: 'hall-1', role: 'kiosk' }, now);
  const catalogue = testCatalogue();
  catalogue.queues.push({ id: 'qP', hallId: 'hall-1', prefix: 'L', name: { zh: '领证' }, serviceIds: ['s1'], kinds: ['pickup'], numberDigits: 3 });
  core.store.replaceCatalogue(catalogue);
  const role = new KioskRole({ db: openKioskDb(':memory:'), core, emit: () => undefined, idHashKey: 'test-key', followUrlBase: 'https://hall.example/follow', enforceOpeningHours: false, now });
  return { core, role };
}

describe('kiosk tickets numbered from the lease', () => {
  it('burns a re-leased number already on a ticket for a pickup ticket too, as the core does for any ticket', async () => {
    const { core, role } = kiosk();
    const pickup = async () => {
      // A refusal throws (LocalRejection) and fails the test with its code.
      const issued = await role.issue({ serviceIds: ['s1'], kind: 'pickup' });
      return issued.issued.ticket;
    };
    core.store.addNumberBlock({ queueId: 'qP', day: DAY, start: 2, end: 20 });
    const first = await pickup();
    expect(first).toMatchObject({ queueId: 'qP', number: 'L002', kind: 'pickup' });
    // A block the server leased again after a wipe: it holds 2, which is on a ticket already.
    core.store.addNumberBlock({ queueId: 'qP', day: DAY, start: 1, end: 3 });
    expect((await pickup()).number).toBe('L001');
    expect((await pickup()).number).toBe('L003');
    role.close();
    core.close();
  });
});
