import type { Catalogue } from '@hall/shared';
import { localDay } from '@hall/shared';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { releaseVerifiers } from './store';

/** The hall-local day after `day` (calendar arithmetic on the date alone). */
export function nextLocalDay(day: string): string {
  return new Date(Date.parse(`${day}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/**
 * A kiosk's catalogue: the shared one plus the verifiers of today's and tomorrow's release
 * passwords (tomorrow's so a kiosk that loses the link overnight still has them). Only kiosks
 * get them; the version moves with them so the kiosk rewrites its copy.
 */
export async function withReleases(db: Kysely<Database>, catalogue: Catalogue, now: Date): Promise<Catalogue> {
  const today = localDay(now.getTime(), catalogue.hall.timeZone);
  const releases = await releaseVerifiers(db, catalogue.hall.id, [today, nextLocalDay(today)]);
  if (releases.length === 0) return catalogue;
  const stamp = releases.map((r) => `${r.id}:${r.used}`).join(',');
  const hash = [...stamp].reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) | 0, 7) >>> 0;
  return { ...catalogue, releases, version: `${catalogue.version}.r${hash}` };
}
