import { createHash, pbkdf2Sync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalRejection, RELEASE_PBKDF2_ITERATIONS, zonedInstant, type ReleaseVerifier, type Ticket } from '@hall/shared';
import { StationCore } from '../../core';
import { testCatalogue } from '../../testing/hall';
import { openKioskDb } from './kioskDb';
import { checkRelease } from './release';
import { KioskRole } from './role';

const DAY = '2026-11-23';
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A verifier as the central API makes it (release/store.ts there): SHA-256 of PBKDF2(code, salt). */
function verifierFor(code: string, fields: Partial<ReleaseVerifier> & Pick<ReleaseVerifier, 'id'>): ReleaseVerifier {
  const salt = randomBytes(32);
  const proof = pbkdf2Sync(code, salt, RELEASE_PBKDF2_ITERATIONS, 32, 'sha256');
  return { serial: 1, day: DAY, kind: 'special', priorityGroupId: 'disabled', maxUses: 1, used: 0, salt: salt.toString('base64url'), verifier: createHash('sha256').update(proof).digest('base64url'), ...fields };
}

const ticketWith = (releasePasswordId: string) => ({ releasePasswordId }) as Ticket;

describe('release password check at the kiosk (offline)', () => {
  const special = verifierFor('12345678', { id: 'rel-1' });
  const tomorrow = verifierFor('87654321', { id: 'rel-2', day: '2026-11-24', kind: 'on_site', priorityGroupId: undefined });

  it('opens today\'s password with its code only, and carries a proof that is not the verifier', () => {
    const checked = checkRelease('12345678', [tomorrow, special], DAY, []);
    expect(checked).toMatchObject({ ok: true, remaining: 1, verifier: { id: 'rel-1' } });
    if (!checked.ok) return;
    expect(createHash('sha256').update(Buffer.from(checked.proof, 'base64url')).digest('base64url')).toBe(special.verifier);
    expect(checkRelease('12345670', [special], DAY, [])).toEqual({ ok: false, code: 'release_wrong' });
  });

  it("refuses another day's password and one used up here, by a peer or as the server counted", () => {
    expect(checkRelease('87654321', [special, tomorrow], DAY, [])).toEqual({ ok: false, code: 'release_expired' });
    expect(checkRelease('12345678', [special], DAY, [ticketWith('rel-1')])).toEqual({ ok: false, code: 'release_used' });
    expect(checkRelease('12345678', [{ ...special, used: 1 }], DAY, [])).toEqual({ ok: false, code: 'release_used' });
    expect(checkRelease('12345678', [{ ...special, maxUses: 3 }], DAY, [ticketWith('rel-1'), ticketWith('other')])).toMatchObject({ ok: true, remaining: 2 });
  });
});

describe('导办放号 at the kiosk', () => {
  function kiosk(releases: ReleaseVerifier[]) {
    const now = () => zonedInstant(DAY, '10:00', 'Asia/Shanghai');
    const dir = mkdtempSync(join(tmpdir(), 'kiosk-release-'));
    dirs.push(dir);
    const core = StationCore.open(join(dir, 'station.db'), { deviceId: 'k1', hallId: 'hall-1', role: 'kiosk' }, now);
    core.guardOrigin();
    const catalogue = testCatalogue();
    const groups = [...catalogue.callingRules.priorityGroups, { id: 'disabled', name: { zh: '残疾人' } }];
    core.store.replaceCatalogue({ ...catalogue, callingRules: { ...catalogue.callingRules, priorityGroups: groups }, releases });
    core.store.addNumberBlock({ queueId: 'qA', day: DAY, start: 1, end: 20 });
    const role = new KioskRole({ db: openKioskDb(':memory:'), core, emit: () => undefined, idHashKey: 'test-key', followUrlBase: 'https://hall.example/follow', enforceOpeningHours: false, now });
    return { core, role, dir };
  }

  it('keeps the verifiers through a restart, so a kiosk restarted during an outage still checks passwords', () => {
    const { core, dir } = kiosk([verifierFor('13572468', { id: 'rel-7' })]);
    core.close();
    const reopened = StationCore.open(join(dir, 'station.db'), { deviceId: 'k1', hallId: 'hall-1', role: 'kiosk' }, () => zonedInstant(DAY, '10:00', 'Asia/Shanghai'));
    try {
      expect(checkRelease('13572468', reopened.store.catalogue?.releases ?? [], DAY, [])).toMatchObject({ ok: true, verifier: { id: 'rel-7' } });
    } finally {
      reopened.close();
    }
  });

  it('issues a special ticket with the password\'s group and release once, then refuses the second use', async () => {
    const { core, role } = kiosk([verifierFor('24681357', { id: 'rel-9', serial: 4 })]);
    expect(role.releaseCheck('24681357')).toEqual({ release: { serial: 4, kind: 'special', priorityGroupId: 'disabled', remaining: 1 } });
    const issued = await role.issue({ serviceIds: ['s1'], kind: 'walk_in', release: { code: '24681357', reason: 'disability' } });
    expect(issued).toHaveProperty('issued');
    expect(issued.issued.ticket).toMatchObject({ priorityGroupId: 'disabled', releasePasswordId: 'rel-9' });
    // The outbox carries the proof and reason for the central API, never the code.
    const outbox = JSON.stringify(core.store.pendingMutations(100));
    expect(outbox).toContain('"reason":"disability"');
    expect(outbox).not.toContain('24681357');
    expect(() => role.releaseCheck('24681357')).toThrow(LocalRejection);
    await expect(Promise.resolve().then(() => role.releaseCheck('24681357'))).rejects.toHaveProperty('refusal', { reason: 'release_refused', code: 'release_used' });
    await expect(role.issue({ serviceIds: ['s1'], kind: 'walk_in', release: { code: '24681357', reason: 'disability' } })).rejects.toHaveProperty('refusal', { reason: 'release_refused', code: 'release_used' });
    await expect(role.issue({ serviceIds: ['s1'], kind: 'walk_in', release: { code: '11111111', reason: 'urgent' } })).rejects.toHaveProperty('refusal', { reason: 'release_refused', code: 'release_wrong' });
  });
});
