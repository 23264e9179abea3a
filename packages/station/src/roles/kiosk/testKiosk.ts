import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zonedInstant, type Catalogue } from '@hall/shared';
import { StationCore } from '../../core';
import { testCatalogue } from '../../testing/hall';
import { openKioskDb } from './kioskDb';
import { KioskRole } from './role';

/** The day the kiosk unit tests run on, at 10:00 in the hall's zone. */
export const TEST_KIOSK_DAY = '2026-11-23';
export const TEST_KIOSK_KEY = 'test-key';

const dirs: string[] = [];

/**
 * A kiosk role on its own station store, for the kiosk's unit tests: the test hall's
 * catalogue (or `catalogue`), the origin guard on unless `guard: false`, and numbers 1–20 of
 * queue qA leased when `numbers` is set. Call `removeTestKiosks` after each test.
 */
export function testKiosk(options: { catalogue?: Catalogue; guard?: boolean; numbers?: boolean } = {}): { core: StationCore; role: KioskRole; now: () => number } {
  const now = () => zonedInstant(TEST_KIOSK_DAY, '10:00', 'Asia/Shanghai');
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-test-'));
  dirs.push(dir);
  const core = StationCore.open(join(dir, 'station.db'), { deviceId: 'k1', hallId: 'hall-1', role: 'kiosk' }, now);
  if (options.guard !== false) core.guardOrigin();
  core.store.replaceCatalogue(options.catalogue ?? testCatalogue());
  if (options.numbers) core.store.addNumberBlock({ queueId: 'qA', day: TEST_KIOSK_DAY, start: 1, end: 20 });
  const role = new KioskRole({ db: openKioskDb(':memory:'), core, emit: () => undefined, idHashKey: TEST_KIOSK_KEY, followUrlBase: 'https://hall.example/follow', enforceOpeningHours: false, now });
  return { core, role, now };
}

export function removeTestKiosks(): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}
