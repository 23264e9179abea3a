import type { Kysely } from 'kysely';
import { CatalogueSchema, type Catalogue } from '@hall/shared';
import type { Database } from '../db/schema';
import { listForms, listServices } from '../store/catalogue';
import { getCallingRules, getHall } from '../store/halls';
import { listCounters, listQueues } from '../store/layout';
import { ApiError } from '../http/errors';
import { listNotices } from '../admin/notices';
import { listAssignments } from '../admin/assignments';
import { listCalendarDays } from '../admin/calendar';
import { hallCaseRules } from '../cases/store';
import { listSlipTemplates } from '../slips/store';
import { hallPhoneLinks } from '../phone/links/links';
import { catalogueAnnouncements } from '../staffAnnouncements/store';

const caches = new WeakMap<object, Map<string, { at: number; catalogue: Catalogue }>>();
/**
 * Every audited configuration change pokes the hall's 'catalogue' topic, which drops the
 * entry on every instance (the poke travels by LISTEN/NOTIFY), so the cache can live long:
 * rebuilding it costs ten statements and was most of a push's work. The time limit only
 * bounds staleness after a notification lost while an instance's listener reconnected.
 */
const CACHE_MS = 60_000;

/** The hall's catalogue as stations cache it and as the engine reads it. */
export async function loadCatalogue(db: Kysely<Database>, hallId: string, now = Date.now()): Promise<Catalogue> {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  const hit = cache.get(hallId);
  if (hit && now - hit.at < CACHE_MS) return hit.catalogue;
  const hall = await getHall(db, hallId);
  const callingRules = await getCallingRules(db, hallId);
  if (!hall || !callingRules) throw new ApiError(404, 'not_found', `hall ${hallId} is not configured`);
  const [queues, counters, services, forms, notices, calendarDays, assignments, caseRules, departments, slipTemplates, phoneLinks, staffAnnouncements, cityHalls] = await Promise.all([
    listQueues(db, hallId),
    listCounters(db, hallId),
    listServices(db, { hallId }),
    listForms(db),
    listNotices(db, hallId),
    listCalendarDays(db, hallId),
    listAssignments(db, hallId),
    hallCaseRules(db, hallId),
    db.selectFrom('departments').select(['id', 'name_zh', 'name_en']).where('hall_id', '=', hallId).orderBy('id').execute(),
    listSlipTemplates(db, hallId),
    hallPhoneLinks(db, hallId),
    catalogueAnnouncements(db, hallId, new Date(now)),
    db.selectFrom('halls').select(['id', 'name_zh', 'name_en']).where('id', '!=', hallId).orderBy('id').limit(500).execute(),
  ]);
  // Blank and sample forms named by materials travel too: the kiosk previews them in the guide.
  const formIds = new Set(
    services.flatMap((s) => [
      s.formId,
      ...(s.decisionTree?.situations.map((x) => x.formId) ?? []),
      ...s.materials.flatMap((m) => [m.blankFormRef, m.sampleFormRef]),
    ]),
  );
  const body = {
    hall,
    queues,
    counters: counters.map(({ state: _state, ...counter }) => counter),
    services,
    forms: forms.filter((f) => formIds.has(f.id)),
    departments: departments.map((d) => ({ id: d.id, name: { zh: d.name_zh, ...(d.name_en ? { en: d.name_en } : {}) } })),
    callingRules,
    // The wall display shows these beside the notices in its own config.
    notices: notices.filter((n) => n.active).map(({ id, text }) => ({ id, text })),
    // Promised dates (executeCase) count working days with these, on stations and here alike.
    calendar: {
      holidays: calendarDays.filter((d) => d.kind === 'holiday').map((d) => d.day),
      workdays: calendarDays.filter((d) => d.kind === 'workday').map((d) => d.day),
    },
    // Only real restrictions: a clerk without counters serves any (the hall default, clerkMayServe).
    caseRules,
    // Counters print offline too: the wording travels with the catalogue (issue 20).
    ...(slipTemplates.length > 0 ? { slipTemplates: slipTemplates.map(({ kind, serviceId, body }) => ({ kind, serviceId, body })) } : {}),
    // 系统通知公告 with their readers: a counter shows a clerk the unread ones at sign-in, offline too.
    staffAnnouncements,
    clerkCounters: Object.fromEntries([...assignments].filter(([, a]) => a.counterIds.length > 0).map(([staffId, a]) => [staffId, a.counterIds])),
    // Slips' and receipts' QR links and SMS links start with it (issue 18).
    ...(phoneLinks ? { phoneLinks } : {}),
    // 跨厅流转: a counter sends paper to another hall of the city; progress names the hall the paper is in.
    ...(cityHalls.length > 0 ? { cityHalls: cityHalls.map((h) => ({ id: h.id, name: { zh: h.name_zh, ...(h.name_en ? { en: h.name_en } : {}) } })) } : {}),
  };
  // The version lets a station skip re-writing an unchanged catalogue.
  const version = String(JSON.stringify(body).split('').reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) | 0, 7) >>> 0);
  const catalogue = CatalogueSchema.parse({ ...body, version });
  cache.set(hallId, { at: now, catalogue });
  return catalogue;
}

export function forgetCatalogue(db: Kysely<Database>, hallId: string): void {
  caches.get(db)?.delete(hallId);
}
