import type { Kysely } from 'kysely';
import { ServiceSchema, SharedMaterialSchema, type Service, type SharedMaterial } from '@hall/shared';
import type { Database } from '../db/schema';
import { decodeJson, encodeJson } from '../db/json';

interface SharedMaterialTable {
  id: string;
  hall_id: string;
  name: string;
  material_json: string;
  updated_at: string;
}

interface ServiceVersionTable {
  service_id: string;
  version: number;
  hall_id: string;
  service_json: string;
  actor_kind: string;
  actor_id: string;
  saved_at: string;
}

const tables = (db: Kysely<Database>) => db.withTables<{ shared_materials: SharedMaterialTable; service_versions: ServiceVersionTable }>();

export async function listSharedMaterials(db: Kysely<Database>, hallId: string): Promise<SharedMaterial[]> {
  const rows = await tables(db).selectFrom('shared_materials').selectAll().where('hall_id', '=', hallId).orderBy('name').orderBy('id').execute();
  return rows.map((r) => decodeJson(SharedMaterialSchema, r.material_json, `shared material ${r.id}`));
}

/** The hall owning a library entry, or undefined when there is none. */
export async function hallOfSharedMaterial(db: Kysely<Database>, id: string): Promise<string | undefined> {
  return (await tables(db).selectFrom('shared_materials').select('hall_id').where('id', '=', id).executeTakeFirst())?.hall_id;
}

export async function putSharedMaterial(db: Kysely<Database>, hallId: string, material: SharedMaterial, at: Date): Promise<void> {
  const values = { name: material.name, material_json: encodeJson(SharedMaterialSchema, material), updated_at: at.toISOString() };
  await tables(db)
    .insertInto('shared_materials')
    .values({ id: material.id, hall_id: hallId, ...values })
    .onConflict((oc) => oc.column('id').doUpdateSet(values))
    .execute();
}

export async function deleteSharedMaterial(db: Kysely<Database>, id: string): Promise<void> {
  await tables(db).deleteFrom('shared_materials').where('id', '=', id).execute();
}

export interface ServiceVersionEntry {
  version: number;
  savedAt: string;
  actor: { kind: string; id: string; name?: string };
}

/** Stores the service as saved now, one version above the last. Runs inside the save's transaction. */
export async function recordServiceVersion(db: Kysely<Database>, hallId: string, service: Service, actor: { kind: string; id: string }, at: Date): Promise<number> {
  const last = await tables(db)
    .selectFrom('service_versions')
    .select((eb) => eb.fn.max('version').as('v'))
    .where('service_id', '=', service.id)
    .executeTakeFirst();
  const version = Number(last?.v ?? 0) + 1;
  await tables(db)
    .insertInto('service_versions')
    .values({
      service_id: service.id,
      version,
      hall_id: hallId,
      service_json: encodeJson(ServiceSchema, service),
      actor_kind: actor.kind,
      actor_id: actor.id,
      saved_at: at.toISOString(),
    })
    .execute();
  return version;
}

/** Newest first, with the saving staff member's display name where the actor is staff. */
export async function listServiceVersions(db: Kysely<Database>, serviceId: string): Promise<ServiceVersionEntry[]> {
  const rows = await tables(db)
    .selectFrom('service_versions as v')
    .leftJoin('staff as s', (join) => join.onRef('s.id', '=', 'v.actor_id').on('v.actor_kind', '=', 'staff'))
    .select(['v.version', 'v.saved_at', 'v.actor_kind', 'v.actor_id', 's.display_name'])
    .where('v.service_id', '=', serviceId)
    .orderBy('v.version', 'desc')
    .execute();
  return rows.map((r) => ({
    version: Number(r.version),
    savedAt: r.saved_at,
    actor: { kind: r.actor_kind, id: r.actor_id, ...(r.display_name ? { name: r.display_name } : {}) },
  }));
}

export async function getServiceVersion(db: Kysely<Database>, serviceId: string, version: number): Promise<Service | undefined> {
  const row = await tables(db).selectFrom('service_versions').select('service_json').where('service_id', '=', serviceId).where('version', '=', version).executeTakeFirst();
  return row && decodeJson(ServiceSchema, row.service_json, `service ${serviceId} v${version}`);
}
