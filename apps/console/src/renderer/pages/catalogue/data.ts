import type { Service, SharedMaterial } from '@hall/shared';
import type { StaffSession } from '../../api';
import { useGet } from '../../useApi';

export interface LibraryEntry extends SharedMaterial {
  usedBy: { id: string; name: { zh: string; en?: string } }[];
}

export interface Choice {
  id: string;
  name: { zh: string; en?: string };
}

/** Everything the catalogue tabs read, loaded once per hall and reloaded after each write. */
export function useCatalogueData(session: StaffSession, hallId: string) {
  const services = useGet<{ services: Service[] }>(session, `/services?hallId=${hallId}`);
  const library = useGet<{ materials: LibraryEntry[] }>(session, `/catalogue/halls/${hallId}/shared-materials`);
  const departments = useGet<{ departments: Choice[] }>(session, `/departments?hallId=${hallId}`);
  const queues = useGet<{ queues: (Choice & { prefix: string })[] }>(session, `/halls/${hallId}/queues`);
  const themes = useGet<{ themes: { theme: string; serviceCount: number }[] }>(session, `/themes?hallId=${hallId}`);
  const tags = useGet<{ tags: { tag: string; serviceCount: number }[] }>(session, `/catalogue/halls/${hallId}/tags`);
  return {
    services: services.data?.services ?? [],
    library: library.data?.materials ?? [],
    departments: departments.data?.departments ?? [],
    queues: queues.data?.queues ?? [],
    themes: themes.data?.themes ?? [],
    tags: tags.data?.tags ?? [],
    loaded: services.data !== undefined,
    reload: () => {
      services.reload();
      library.reload();
      themes.reload();
      tags.reload();
    },
  };
}

export type CatalogueData = ReturnType<typeof useCatalogueData>;
