import type Database from 'better-sqlite3';
import type { Catalogue } from '@hall/shared';
import type { Meta } from './meta';

/**
 * The last catalogue the central API sent, kept so a station restarted during an outage
 * still knows its hall, services, forms, queues and counters.
 */
export class CatalogueCache {
  constructor(
    private readonly db: Database.Database,
    private readonly meta: Meta,
  ) {}

  replace(catalogue: Catalogue): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM catalogue_items').run();
      const insert = this.db.prepare<[string, string, string]>('INSERT INTO catalogue_items (kind, id, data) VALUES (?, ?, ?)');
      insert.run('hall', catalogue.hall.id, JSON.stringify(catalogue.hall));
      for (const item of catalogue.services) insert.run('service', item.id, JSON.stringify(item));
      for (const item of catalogue.forms) insert.run('form', `${item.id}@${item.version}`, JSON.stringify(item));
      for (const item of catalogue.queues) insert.run('queue', item.id, JSON.stringify(item));
      for (const item of catalogue.counters) insert.run('counter', item.id, JSON.stringify(item));
      // Notices live in meta: catalogue_items admits only the kinds its CHECK lists.
      this.meta.set('catalogueNotices', JSON.stringify(catalogue.notices ?? []));
      // A kiosk restarted during an outage still checks release passwords (放号密码).
      this.meta.set('catalogueReleases', JSON.stringify(catalogue.releases ?? []));
      insert.run('callingRules', catalogue.hall.id, JSON.stringify(catalogue.callingRules));
      this.meta.set('catalogueVersion', catalogue.version);
    })();
  }

  /** The cached catalogue, or undefined before the first one arrived. */
  load(): Catalogue | undefined {
    const rows = this.db.prepare<[], { kind: string; data: string }>('SELECT kind, data FROM catalogue_items').all();
    const version = this.meta.get('catalogueVersion');
    const hallRow = rows.find((r) => r.kind === 'hall');
    const rulesRow = rows.find((r) => r.kind === 'callingRules');
    if (!hallRow || !rulesRow || version === undefined) return undefined;
    const of = (kind: string) => rows.filter((r) => r.kind === kind).map((r) => JSON.parse(r.data));
    return {
      hall: JSON.parse(hallRow.data),
      callingRules: JSON.parse(rulesRow.data),
      services: of('service'),
      forms: of('form'),
      queues: of('queue'),
      counters: of('counter'),
      notices: JSON.parse(this.meta.get('catalogueNotices') ?? '[]'),
      releases: JSON.parse(this.meta.get('catalogueReleases') ?? '[]'),
      version,
    };
  }
}
