import type { Kysely } from 'kysely';
import { applySharedMaterials, type Service, type SharedMaterial } from '@hall/shared';
import type { Database } from '../db/schema';
import { unknownReference } from '../http/errors';
import { getService, insertService, updateService } from '../store/catalogue';
import { listServiceVersions, listSharedMaterials, recordServiceVersion } from './store';

/** Who "saved" the state a service had before its first recorded save. */
export const SEED_ACTOR = { kind: 'system', id: 'before-history' } as const;

export async function libraryOf(db: Kysely<Database>, hallId: string): Promise<Map<string, SharedMaterial>> {
  return new Map((await listSharedMaterials(db, hallId)).map((m) => [m.id, m]));
}

/** The service as it will be stored: every library-drawn material as the hall's library says. */
export function withLibrary(service: Service, library: ReadonlyMap<string, SharedMaterial>): Service {
  const { service: drawn, unknown } = applySharedMaterials(service, library);
  if (unknown.length > 0) throw unknownReference(`shared material ${unknown.join(', ')} is not in this hall's library`, { sharedMaterialIds: unknown });
  return drawn;
}

/**
 * Writes a service and its new version together (call inside the audited transaction), so
 * the history holds exactly what was saved and by whom.
 */
export async function saveServiceVersion(
  trx: Kysely<Database>,
  hallId: string,
  service: Service,
  mode: 'create' | 'update',
  actor: { kind: string; id: string },
  at: Date,
): Promise<number> {
  if (mode === 'create') await insertService(trx, service, at);
  else {
    // A service seeded before histories existed: its state before this first save is version 1.
    const before = await getService(trx, service.id);
    if (before && (await listServiceVersions(trx, service.id)).length === 0) await recordServiceVersion(trx, hallId, before, SEED_ACTOR, at);
    await updateService(trx, service, at);
  }
  return recordServiceVersion(trx, hallId, service, actor, at);
}
