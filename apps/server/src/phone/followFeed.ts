import type { FollowView } from '@hall/shared';
import type { ServerContext } from '../context';
import { loadCatalogue } from '../sync/catalogue';
import { FollowViews, loadQueueState } from './followView';

/** What a follower receives: the ticket's view, or `pending` while the hall has not reported it. */
export type FollowUpdate = { kind: 'view'; view: FollowView } | { kind: 'pending' };

interface Follower {
  ticketId: string;
  /** The ticket's day, once the API knows the ticket: only that day's tickets are read for it. */
  day?: string;
  send(update: FollowUpdate): void;
  /** JSON of the last update sent, so a poke that changed nothing for this ticket sends nothing. */
  last?: string;
}

/**
 * Pushes ticket views to followers' phones from the hub's change pokes (which reach every
 * API instance through LISTEN/NOTIFY on PostgreSQL). One poke costs one state read per hall,
 * however many phones follow it; a hall's refreshes never overlap, and pokes arriving during
 * one are folded into one more.
 */
export class FollowFeed {
  readonly #byHall = new Map<string, Set<Follower>>();
  /** Tickets the API has not seen yet (issued offline): looked for again on every sync poke. */
  readonly #pending = new Set<Follower>();
  readonly #running = new Map<string, Promise<void>>();
  readonly #again = new Set<string>();
  #closed = false;

  constructor(private readonly ctx: Pick<ServerContext, 'db' | 'clock' | 'hub'>) {
    ctx.hub.onPoke((hallId, topic) => {
      if (topic !== 'sync' && topic !== 'catalogue') return;
      if (this.#byHall.has(hallId)) this.refresh(hallId);
      if (topic === 'sync' && this.#pending.size > 0) void this.#adoptPending().catch(() => undefined);
    });
  }

  get size(): number {
    let n = this.#pending.size;
    for (const set of this.#byHall.values()) n += set.size;
    return n;
  }

  /** Sends the ticket's current view at once, then every change; returns the unsubscribe. */
  async follow(ticketId: string, send: (update: FollowUpdate) => void): Promise<() => void> {
    const follower: Follower = { ticketId, send };
    const found = (await this.#hallOf([ticketId])).get(ticketId);
    const hallId = found?.hallId;
    if (found) follower.day = found.day;
    if (hallId === undefined) {
      this.#pending.add(follower);
      this.#deliver(follower, { kind: 'pending' });
    } else {
      this.#join(hallId, follower);
      await this.#refreshNow(hallId, [follower]);
    }
    return () => {
      this.#pending.delete(follower);
      for (const [hall, set] of this.#byHall) {
        if (set.delete(follower) && set.size === 0) this.#byHall.delete(hall);
      }
    };
  }

  /** One view, for the JSON route. */
  async view(ticketId: string): Promise<FollowUpdate> {
    const found = (await this.#hallOf([ticketId])).get(ticketId);
    if (found === undefined) return { kind: 'pending' };
    const views = new FollowViews(await loadCatalogue(this.ctx.db, found.hallId), await loadQueueState(this.ctx.db, found.hallId, [found.day]), this.ctx.clock().getTime());
    const view = views.view(ticketId);
    return view ? { kind: 'view', view } : { kind: 'pending' };
  }

  close(): void {
    this.#closed = true;
    this.#byHall.clear();
    this.#pending.clear();
  }

  refresh(hallId: string): void {
    if (this.#running.has(hallId)) {
      this.#again.add(hallId);
      return;
    }
    const run = this.#refreshNow(hallId)
      .catch(() => undefined)
      .finally(() => {
        this.#running.delete(hallId);
        if (this.#again.delete(hallId) && !this.#closed) this.refresh(hallId);
      });
    this.#running.set(hallId, run);
  }

  async #refreshNow(hallId: string, only?: Follower[]): Promise<void> {
    const followers = only ?? [...(this.#byHall.get(hallId) ?? [])];
    if (followers.length === 0) return;
    const days = [...new Set(followers.flatMap((f) => (f.day ? [f.day] : [])))];
    const [catalogue, state] = await Promise.all([loadCatalogue(this.ctx.db, hallId), loadQueueState(this.ctx.db, hallId, days)]);
    const views = new FollowViews(catalogue, state, this.ctx.clock().getTime());
    for (const follower of followers) {
      const view = views.view(follower.ticketId);
      this.#deliver(follower, view ? { kind: 'view', view } : { kind: 'pending' });
    }
  }

  #deliver(follower: Follower, update: FollowUpdate): void {
    const text = JSON.stringify(update);
    if (text === follower.last) return;
    follower.last = text;
    follower.send(update);
  }

  #join(hallId: string, follower: Follower): void {
    const set = this.#byHall.get(hallId) ?? new Set<Follower>();
    set.add(follower);
    this.#byHall.set(hallId, set);
  }

  async #adoptPending(): Promise<void> {
    const waiting = [...this.#pending];
    const found = await this.#hallOf(waiting.map((f) => f.ticketId));
    const halls = new Set<string>();
    for (const follower of waiting) {
      const ticket = found.get(follower.ticketId);
      if (ticket === undefined || !this.#pending.delete(follower)) continue;
      follower.day = ticket.day;
      this.#join(ticket.hallId, follower);
      halls.add(ticket.hallId);
    }
    for (const hallId of halls) this.refresh(hallId);
  }

  /** Where and when the API's ticket projection puts each ticket it knows. */
  async #hallOf(ticketIds: string[]): Promise<Map<string, { hallId: string; day: string }>> {
    const ids = [...new Set(ticketIds)];
    const found = new Map<string, { hallId: string; day: string }>();
    // In chunks: a statement's parameters are limited (SQLite 32k, PostgreSQL 65k).
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await this.ctx.db.selectFrom('tickets').select(['id', 'hall_id', 'day']).where('id', 'in', ids.slice(i, i + 500)).execute();
      for (const r of rows) found.set(r.id, { hallId: r.hall_id, day: r.day });
    }
    return found;
  }
}
