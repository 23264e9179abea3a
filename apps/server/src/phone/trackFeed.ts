import { parseTrackReference, receiptMatches, trackView, type Case, type TrackView } from '@hall/shared';
import type { Kysely } from 'kysely';
import type { ServerContext } from '../context';
import type { Database } from '../db/schema';
import { caseOfRow } from '../cases/store';
import { loadCatalogue } from '../sync/catalogue';

/**
 * The case a receipt's track reference (`<caseId>.<token>`) opens, or undefined when it is
 * malformed, unknown or its token differs: the caller answers all three alike, so a guesser
 * learns nothing about which cases exist. The token is compared without early exit.
 */
export async function trackedCase(db: Kysely<Database>, reference: string): Promise<Case | undefined> {
  const parsed = parseTrackReference(reference);
  if (!parsed) return undefined;
  const row = await db.selectFrom('cases').select('data_json').where('id', '=', parsed.caseId).executeTakeFirst();
  const kase = row ? caseOfRow(row) : undefined;
  return kase && receiptMatches(kase, parsed.token) ? kase : undefined;
}

interface Tracker {
  caseId: string;
  send(view: TrackView): void;
  /** JSON of the last view sent: a poke that changed nothing for this case sends nothing. */
  last?: string;
}

/**
 * Pushes case views to phones on the hub's pokes (a station's push or a back-office step
 * pokes the hall's 'sync' topic, on every instance through LISTEN/NOTIFY). One poke reads
 * the hall's tracked cases in one query; a hall's refreshes never overlap, and pokes during
 * one fold into one more.
 */
export class TrackFeed {
  readonly #byHall = new Map<string, Set<Tracker>>();
  readonly #running = new Set<string>();
  readonly #again = new Set<string>();

  constructor(private readonly ctx: Pick<ServerContext, 'db' | 'clock' | 'hub'>) {
    ctx.hub.onPoke((hallId, topic) => {
      if ((topic === 'sync' || topic === 'catalogue') && this.#byHall.has(hallId)) this.refresh(hallId);
    });
  }

  /** The case's view now. */
  async view(kase: Case): Promise<TrackView> {
    return trackView(kase, await loadCatalogue(this.ctx.db, kase.hallId), this.ctx.clock().getTime());
  }

  /** Sends the case's current view at once, then every change; returns the unsubscribe. */
  async track(kase: Case, send: (view: TrackView) => void): Promise<() => void> {
    const tracker: Tracker = { caseId: kase.id, send };
    const set = this.#byHall.get(kase.hallId) ?? new Set<Tracker>();
    set.add(tracker);
    this.#byHall.set(kase.hallId, set);
    this.#deliver(tracker, await this.view(kase));
    return () => {
      if (set.delete(tracker) && set.size === 0 && this.#byHall.get(kase.hallId) === set) this.#byHall.delete(kase.hallId);
    };
  }

  refresh(hallId: string): void {
    if (this.#running.has(hallId)) {
      this.#again.add(hallId);
      return;
    }
    this.#running.add(hallId);
    void this.#refreshNow(hallId)
      .catch(() => undefined)
      .finally(() => {
        this.#running.delete(hallId);
        if (this.#again.delete(hallId)) this.refresh(hallId);
      });
  }

  async #refreshNow(hallId: string): Promise<void> {
    const trackers = [...(this.#byHall.get(hallId) ?? [])];
    if (trackers.length === 0) return;
    const ids = [...new Set(trackers.map((t) => t.caseId))];
    const cases = new Map<string, Case>();
    // In chunks: a statement's parameters are limited (SQLite 32k, PostgreSQL 65k).
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await this.ctx.db.selectFrom('cases').select('data_json').where('hall_id', '=', hallId).where('id', 'in', ids.slice(i, i + 500)).execute();
      for (const row of rows) {
        const kase = caseOfRow(row);
        if (kase) cases.set(kase.id, kase);
      }
    }
    const catalogue = await loadCatalogue(this.ctx.db, hallId);
    const now = this.ctx.clock().getTime();
    for (const tracker of trackers) {
      const kase = cases.get(tracker.caseId);
      if (kase) this.#deliver(tracker, trackView(kase, catalogue, now));
    }
  }

  #deliver(tracker: Tracker, view: TrackView): void {
    const text = JSON.stringify(view);
    if (text === tracker.last) return;
    tracker.last = text;
    tracker.send(view);
  }
}
