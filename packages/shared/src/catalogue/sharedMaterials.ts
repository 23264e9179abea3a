import type { z } from 'zod';
import { MaterialSchema, type Material, type Service } from '../domain/catalogue';

/** 共享材料: one library entry, written once and drawn into every service that needs it. */
export const SharedMaterialSchema = MaterialSchema.omit({ required: true, sharedId: true });
export type SharedMaterial = z.infer<typeof SharedMaterialSchema>;

/** The service's copy of a library entry: the library's fields, the service's own id and `required`. */
export function drawShared(material: Material, shared: SharedMaterial): Material {
  const { id: _libraryId, ...fields } = shared;
  return { ...fields, id: material.id, required: material.required, sharedId: shared.id };
}

/**
 * Refreshes every library-drawn material of a service from the library, so a service
 * always stores what the library says. Returns the ids the library does not hold.
 */
export function applySharedMaterials(service: Service, library: ReadonlyMap<string, SharedMaterial>): { service: Service; unknown: string[] } {
  const unknown: string[] = [];
  const materials = service.materials.map((m) => {
    if (!m.sharedId) return m;
    const shared = library.get(m.sharedId);
    if (!shared) {
      unknown.push(m.sharedId);
      return m;
    }
    return drawShared(m, shared);
  });
  return { service: { ...service, materials }, unknown };
}
