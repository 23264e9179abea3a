import {
  callAnnouncementText,
  estimateWait,
  localDay,
  setupFromCatalogue,
  type Catalogue,
  type Change,
  type CounterState,
  type DisplayCall,
  type DisplayCounter,
  type DisplayQueue,
  type DisplaySettings,
  type DisplayState,
  type HallLink,
  type HallState,
  type PendingAnnouncement,
  type Ticket,
} from '@hall/shared';
import type { LanCall, LanCounterState } from '../../lan/message';
import type { CallStore, StoredCall } from './callStore';
import { callKey, callOfTicket, isConsultation } from './rules/calls';

export interface DisplayBoardOptions {
  store: CallStore;
  live: () => HallState;
  catalogue: () => Catalogue | undefined;
  online: () => boolean;
  /** Where the display stands in its hall (SyncStatus.hall); absent without one. */
  hall?: () => HallLink | undefined;
  settings: DisplaySettings;
  notices: readonly string[];
  /** Calls older than this when they first reach the display are shown but never announced. */
  freshMs: number;
  /** Whether announcements are produced at all (voice off: the wall only shows). */
  voice: boolean;
  now?: () => number;
}

interface CounterOverride {
  state: CounterState;
  servingTicketNumber?: string;
  receivedAt: number;
}

/**
 * What the wall shows, from two paths: calls and counter states the LAN feed brings
 * straight from the counters, and the hall state sync brings from the central API. Each
 * call is kept once by its key, whichever path is first; the LAN's counter states stand
 * until sync reports that counter again.
 */
export class DisplayBoard {
  private readonly calls = new Map<string, StoredCall>();
  private readonly overrides = new Map<string, CounterOverride>();
  private readonly listeners = new Set<() => void>();
  private readonly now: () => number;
  private scheduled = false;

  constructor(private readonly options: DisplayBoardOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Loads today's calls from disk and from the synced state; none of these is announced anew. */
  start(): void {
    const now = this.now();
    this.options.store.prune(now - 2 * 86_400_000);
    for (const stored of this.options.store.loadSince(now - 86_400_000)) {
      if (this.isToday(stored.call.calledAt)) this.calls.set(stored.call.key, stored);
    }
    for (const ticket of Object.values(this.options.live().queue.tickets)) this.addTicketCall(ticket, false);
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Coalesces the changes of one tick into one notification. */
  private changed(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      for (const listener of this.listeners) listener();
    });
  }

  private isToday(at: string): boolean {
    const tz = this.options.catalogue()?.hall.timeZone ?? 'Asia/Shanghai';
    return localDay(Date.parse(at), tz) === localDay(this.now(), tz);
  }

  private counterNumber = (counterId: string): string | undefined =>
    this.options.catalogue()?.counters.find((c) => c.id === counterId)?.number;

  private add(call: DisplayCall, live: boolean): boolean {
    if (this.calls.has(call.key) || !this.isToday(call.calledAt)) return false;
    const receivedAt = this.now();
    const fresh = live && this.options.voice && receivedAt - Date.parse(call.calledAt) <= this.options.freshMs;
    const stored: StoredCall = { call, announcement: fresh ? 'pending' : 'none', receivedAt };
    // The store decides "first": after a restart the memory is rebuilt from it.
    if (!this.options.store.insert(stored)) return false;
    this.calls.set(call.key, stored);
    this.changed();
    return true;
  }

  private addTicketCall(ticket: Ticket, live: boolean): void {
    const call = callOfTicket(ticket, this.counterNumber);
    if (call) this.add(call, live);
  }

  /** Live-state changes from sync (pulls, snapshots): new calls and counter states. */
  ingestChanges(changes: readonly { change: Change }[]): void {
    for (const { change } of changes) {
      if (change.entity === 'ticket') this.addTicketCall(change.data, true);
      else if (change.entity === 'counter') this.overrides.delete(change.id);
    }
    this.changed();
  }

  /** A call from the LAN feed; the counter number is the hall's, not the message's. */
  ingestLanCall(lan: LanCall): boolean {
    const number = this.counterNumber(lan.counterId);
    if (number === undefined) return false;
    const call: DisplayCall = {
      key: callKey(lan.ticketId, lan.calledAt),
      ticketId: lan.ticketId,
      ticketNumber: lan.ticketNumber,
      counterId: lan.counterId,
      counterNumber: number,
      kind: lan.kind,
      calledAt: lan.calledAt,
      source: 'lan',
    };
    const added = this.add(call, true);
    if (added) {
      this.overrides.set(lan.counterId, {
        state: { status: 'serving', ticketId: lan.ticketId },
        servingTicketNumber: lan.ticketNumber,
        receivedAt: this.now(),
      });
    }
    return added;
  }

  ingestLanCounterState(lan: LanCounterState): void {
    if (this.counterNumber(lan.counterId) === undefined) return;
    this.overrides.set(lan.counterId, {
      state: lan.state,
      ...(lan.servingTicketNumber === undefined ? {} : { servingTicketNumber: lan.servingTicketNumber }),
      receivedAt: this.now(),
    });
    this.changed();
  }

  announcementDone(key: string, outcome: 'played' | 'failed'): void {
    const stored = this.calls.get(key);
    if (!stored || stored.announcement !== 'pending') return;
    stored.announcement = outcome;
    this.options.store.setAnnouncement(key, outcome);
    this.changed();
  }

  /** The pending call behind an announcement key, if it is still to be said. */
  pending(key: string): DisplayCall | undefined {
    const stored = this.calls.get(key);
    return stored?.announcement === 'pending' ? stored.call : undefined;
  }

  private pendingAnnouncements(): PendingAnnouncement[] {
    const now = this.now();
    const pending: StoredCall[] = [];
    for (const stored of this.calls.values()) {
      if (stored.announcement !== 'pending') continue;
      // Nobody played it in time (no screen attached, long restart): too late to call now.
      if (now - stored.receivedAt > this.options.freshMs) {
        stored.announcement = 'none';
        this.options.store.setAnnouncement(stored.call.key, 'none');
        continue;
      }
      pending.push(stored);
    }
    pending.sort((a, b) => a.receivedAt - b.receivedAt || Date.parse(a.call.calledAt) - Date.parse(b.call.calledAt));
    return pending.map(({ call }) => ({
      key: call.key,
      ticketNumber: call.ticketNumber,
      counterNumber: call.counterNumber,
      kind: call.kind,
      text: callAnnouncementText(call, 'zh'),
    }));
  }

  private counters(catalogue: Catalogue, live: HallState): DisplayCounter[] {
    return catalogue.counters.map((counter) => {
      const override = this.overrides.get(counter.id);
      const state: CounterState = override?.state ?? live.queue.counters[counter.id]?.state ?? { status: 'closed' };
      const view: DisplayCounter = { id: counter.id, number: counter.number, name: counter.name.zh, status: state.status };
      if (state.status === 'paused') view.reason = state.reason;
      if (state.status === 'serving') {
        const number = live.queue.tickets[state.ticketId]?.number ?? override?.servingTicketNumber;
        if (number !== undefined) view.servingTicketNumber = number;
      }
      return view;
    });
  }

  private queues(catalogue: Catalogue, live: HallState): DisplayQueue[] {
    const now = this.now();
    const today = localDay(now, catalogue.hall.timeZone);
    // A ticket the LAN says was called is no longer waiting, even before sync says so.
    const calledOnLan = new Set<string>();
    for (const { call } of this.calls.values()) if (call.source === 'lan') calledOnLan.add(call.ticketId);
    const ctx = { now, rules: catalogue.callingRules, setup: setupFromCatalogue(catalogue) };
    return catalogue.queues.map((queue) => {
      let waiting = 0;
      for (const t of Object.values(live.queue.tickets)) {
        if (t.queueId === queue.id && t.day === today && t.status === 'waiting' && !calledOnLan.has(t.id)) waiting++;
      }
      const estimate = estimateWait(live.queue, queue.id, ctx);
      return {
        id: queue.id,
        prefix: queue.prefix,
        name: queue.name.zh,
        waiting,
        waitMinutes: waiting === 0 ? 0 : estimate.waitSeconds === undefined ? null : Math.ceil(estimate.waitSeconds / 60),
      };
    });
  }

  state(): DisplayState {
    const catalogue = this.options.catalogue();
    const live = this.options.live();
    const settings = this.options.settings;
    const recent = [...this.calls.values()]
      .filter((s) => this.isToday(s.call.calledAt))
      .sort((a, b) => Date.parse(b.call.calledAt) - Date.parse(a.call.calledAt) || b.receivedAt - a.receivedAt)
      .slice(0, settings.historySize)
      .map(({ call }) => {
        const ticket = live.queue.tickets[call.ticketId];
        const name = settings.names === 'masked' ? ticket?.citizen?.maskedName : undefined;
        const consultation = isConsultation(ticket?.kind, call.ticketNumber, catalogue);
        return { ...call, ...(name === undefined ? {} : { maskedName: name }), ...(consultation ? { consultation } : {}) };
      });
    return {
      hallName: catalogue?.hall.name.zh ?? '',
      settings,
      latest: recent[0] ?? null,
      recent,
      counters: catalogue ? this.counters(catalogue, live) : [],
      queues: catalogue ? this.queues(catalogue, live) : [],
      // The station's own notices first, then those the hall publishes from the console.
      notices: [...this.options.notices, ...(catalogue?.notices ?? []).map((n) => n.text.zh)],
      announcements: this.options.voice ? this.pendingAnnouncements() : [],
      online: this.options.online(),
      ...withHall(this.options.hall?.()),
    };
  }
}

const withHall = (hall: HallLink | undefined): { hall?: HallLink } => (hall ? { hall } : {});
