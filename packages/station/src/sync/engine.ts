import { EventEmitter } from 'node:events';
import { WebSocket } from 'ws';
import { PokeSchema, SEQ_REUSED, SYNC_LIMITS, type Mutation, type PushResponse, type Rejection, type ServerIdentity, type SyncStatus } from '@hall/shared';
import type { StationCore } from '../core';
import { RELAY_AFTER_MS, type OutboxRow } from '../store/store';
import { backoffDelay } from './rules/backoff';
import { boundedBatch } from './rules/pushBatch';
import { SyncHttpError, type SyncClient } from './client';
import type { HallLinkSource } from './hallLink';

export interface SyncEngineOptions {
  pollIntervalMs?: number;
  pushBatch?: number;
  /**
   * How long form values stay in the outbox after the central API acknowledged them, so a
   * central database restored from a backup taken meanwhile can be given them again. Past
   * it they are scrubbed (personal data). Default 48 hours: a nightly backup and a day to restore.
   */
  formRetentionMs?: number;
  /**
   * Acknowledged outbox rows stay this long (the restore horizon for whole mutations: a
   * central database restored from a backup taken meanwhile is given them again), then go.
   * Default: the form retention.
   */
  outboxRetentionMs?: number;
  /**
   * Past hall-days kept in the station's ticket tables besides the live day. Default 1, as the
   * central API keeps in its sync state: around midnight a peer whose clock is still in
   * yesterday acts on yesterday's tickets, and a station that had dropped them would replay
   * that peer's work differently from the rest of the hall.
   */
  pastDaysKept?: number;
  /** How often past hall-days and old acknowledged rows are dropped (default 10 minutes). */
  retentionEveryMs?: number;
  /** Request bytes one push may carry at most (the server refuses larger bodies with 413). */
  pushBytes?: number;
  pullPage?: number;
  leaseBlockSize?: number;
  leaseLowWater?: number;
  /** A loop whose step runs longer than this is aborted and restarted by the watchdog. */
  stallMs?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  catalogueRefreshMs?: number;
  /** A peer's mutation unconfirmed this long is pushed on its behalf (its station may be gone). */
  relayAfterMs?: number;
  /**
   * How long to wait before pushing (0 or absent: push now). The hall mesh says so while a
   * peer's advert shows mutations this station lacks, which may sort before what it would
   * push: pushing first would make the server take a later mutation before an earlier one.
   */
  pushHold?: () => number;
  /**
   * How long to hold the first push once the central API is found again, and at start (0
   * or absent: none). The hall mesh says so while a peer is reachable: a mutation a peer
   * made just before the API returned may be in none of its adverts yet, so no gap shows
   * it; its next advert does (pushHold then holds on). Meanwhile the station does not try
   * to push: the download loop finds the API and wakes the upload loop.
   */
  returnHold?: () => number;
  /** Listen for server pokes over WebSocket (polling stays the fallback). */
  pokes?: boolean;
  /**
   * The poke socket is pinged this often; a ping still unanswered at the next one means the
   * central API has stopped answering (hung, or its host gone without closing the socket):
   * the station says it is offline at once, instead of when a request times out, and the
   * socket is reopened. Default 4000; 0 turns it off.
   */
  pokeLivenessMs?: number;
  random?: () => number;
  now?: () => number;
  /**
   * Where the station stands in its hall (`status().hall`): told every sync verdict, read
   * by status(), and its changes (mode, peers) emitted as status events. Absent: no `hall`.
   */
  hallLink?: HallLinkSource;
}

export interface SyncEngineEvents {
  status: [SyncStatus];
  rejected: [Rejection];
  /** A loop was restarted by the watchdog. */
  stalled: ['upload' | 'download'];
  /** The station opened a new epoch (its unconfirmed work was renumbered under it). */
  epoch: [epoch: string];
  /** Every poke the server sent, by topic, for the runtime's own topics (e.g. "lanKeys"). */
  poke: [topic: string];
}

/** Resolves after `ms` or when `wake` is called, whichever comes first. */
class Waiter {
  private wakeNow: (() => void) | undefined;
  private woken = false;

  wait(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeNow = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeNow = done;
    });
  }

  wake(): void {
    if (this.wakeNow) this.wakeNow();
    else this.woken = true;
  }
}

/** How a rejected outbox row is shown to apps. */
export function rejectionOf(row: OutboxRow): Rejection {
  const payload = row.payload as { ticketId?: unknown };
  return {
    mutationId: row.id,
    seq: row.seq,
    type: row.type as Rejection['type'],
    code: row.code ?? 'rejected',
    reason: row.reason ?? '',
    ...(typeof payload.ticketId === 'string' ? { ticketId: payload.ticketId } : {}),
    at: row.createdAt,
  };
}

/** While the push gate holds, the upload loop asks it again this often. */
const HOLD_RECHECK_MS = 100;

/** Default restore horizon for form values in the outbox (SyncEngineOptions.formRetentionMs). */
export const FORM_RETENTION_MS = 48 * 3600_000;

/**
 * Moves a station's outbox up and the hall's log down. Upload and download are two
 * independent loops, so a push the server keeps refusing or timing out never stops the
 * station from learning what the others did. Each loop backs off with jitter on failure,
 * a poke or a local mutation wakes it early, and a watchdog aborts and restarts a step
 * that hangs (a half-open TCP connection, a server that stopped answering).
 */
export class SyncEngine extends EventEmitter<SyncEngineEvents> {
  private running = false;
  private readonly upload = new Waiter();
  private readonly download = new Waiter();
  private readonly steps = { upload: { since: 0, abort: undefined as AbortController | undefined }, download: { since: 0, abort: undefined as AbortController | undefined } };
  private watchdog: NodeJS.Timeout | undefined;
  private socket: WebSocket | undefined;
  private socketRetry: NodeJS.Timeout | undefined;
  private loops: Promise<void>[] = [];
  private onlineValue = false;
  /** When the central API last became reachable (undefined while it is not). */
  private onlineSince: number | undefined;
  private lastSyncAt: string | null = null;
  private lastError: string | null = null;
  private lastCatalogueAt = 0;
  private lastScrubAt = 0;
  private lastRetentionAt = 0;
  private readonly options: Required<Omit<SyncEngineOptions, 'random' | 'now' | 'hallLink' | 'pushHold' | 'returnHold'>>;
  private readonly pushHold: () => number;
  private readonly returnHold: () => number;
  /** Set by an upload step the push gate held: the loop looks again after at most this long. */
  private heldMs = 0;
  private readonly hallLink: HallLinkSource | undefined;
  private offHallLink: (() => void) | undefined;
  private readonly random: () => number;
  private readonly now: () => number;
  private unsubscribe: (() => void) | undefined;
  /** Mutations per push now: the configured batch, halved after each 413, doubled back after each success. */
  private pushLimit: number;

  constructor(
    readonly core: StationCore,
    readonly client: SyncClient,
    options: SyncEngineOptions = {},
  ) {
    super();
    this.options = {
      pollIntervalMs: options.pollIntervalMs ?? 5000,
      pushBatch: options.pushBatch ?? 200,
      pushBytes: options.pushBytes ?? SYNC_LIMITS.maxPushBytes,
      formRetentionMs: options.formRetentionMs ?? FORM_RETENTION_MS,
      outboxRetentionMs: options.outboxRetentionMs ?? options.formRetentionMs ?? FORM_RETENTION_MS,
      pastDaysKept: options.pastDaysKept ?? 1,
      retentionEveryMs: options.retentionEveryMs ?? 10 * 60_000,
      pullPage: options.pullPage ?? 1000,
      leaseBlockSize: options.leaseBlockSize ?? 20,
      leaseLowWater: options.leaseLowWater ?? 10,
      stallMs: options.stallMs ?? 30_000,
      backoffBaseMs: options.backoffBaseMs ?? 250,
      backoffMaxMs: options.backoffMaxMs ?? 30_000,
      catalogueRefreshMs: options.catalogueRefreshMs ?? 60_000,
      relayAfterMs: options.relayAfterMs ?? RELAY_AFTER_MS,
      pokes: options.pokes ?? true,
      pokeLivenessMs: options.pokeLivenessMs ?? 4000,
    };
    this.pushLimit = this.options.pushBatch;
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    this.hallLink = options.hallLink;
    this.pushHold = options.pushHold ?? (() => 0);
    this.returnHold = options.returnHold ?? (() => 0);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    // A local commit wakes the upload loop at once: the outbox drains in milliseconds online.
    this.unsubscribe = this.core.store.onLiveChange(() => {
      this.upload.wake();
      this.emitStatus();
    });
    this.loops = [this.loop('upload', (signal) => this.uploadStep(signal)), this.loop('download', (signal) => this.downloadStep(signal))];
    if (this.hallLink) {
      this.offHallLink = this.hallLink.onChange(() => this.emitStatus());
      this.hallLink.start();
    }
    this.watchdog = setInterval(() => this.checkStalls(), Math.max(50, Math.floor(this.options.stallMs / 4)));
    if (this.options.pokes) this.connectPokes(0);
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.unsubscribe?.();
    this.offHallLink?.();
    this.hallLink?.stop();
    clearInterval(this.watchdog);
    clearTimeout(this.socketRetry);
    this.socket?.terminate();
    this.socket = undefined;
    this.steps.upload.abort?.abort(new Error('sync stopped'));
    this.steps.download.abort?.abort(new Error('sync stopped'));
    this.upload.wake();
    this.download.wake();
    await Promise.all(this.loops);
  }

  /** Asks both loops to run now (after a reconnect, from a test, on a manual "sync now"). */
  kick(): void {
    this.upload.wake();
    this.download.wake();
  }

  status(): SyncStatus {
    const counts = this.core.store.outboxCounts();
    return {
      online: this.onlineValue,
      pending: counts.pending,
      rejected: counts.rejected,
      oldestPendingAgeSeconds: counts.oldestPendingAt ? Math.max(0, (this.now() - Date.parse(counts.oldestPendingAt)) / 1000) : null,
      lastSyncAt: this.lastSyncAt,
      lastError: this.lastError,
      cursor: this.core.store.cursor,
      ...(this.hallLink ? { hall: this.hallLink.status() } : {}),
      clockOffsetMs: this.client.clock.offsetMs ?? null,
      catalogueVersion: this.core.store.catalogue?.version ?? null,
    };
  }

  private emitStatus(): void {
    if (this.listenerCount('status') > 0) this.emit('status', this.status());
  }

  private backoff(failures: number, retryAfterSeconds?: number): number {
    return backoffDelay({ baseMs: this.options.backoffBaseMs, maxMs: this.options.backoffMaxMs }, failures, this.random, retryAfterSeconds);
  }

  private succeeded(): void {
    const wasOnline = this.onlineValue;
    this.onlineValue = true;
    if (!wasOnline || this.onlineSince === undefined) this.onlineSince = this.now();
    this.lastSyncAt = new Date(this.now()).toISOString();
    this.lastError = null;
    if (!wasOnline) this.kick();
    this.hallLink?.observe(true);
    this.emitStatus();
  }

  private failed(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof SyncHttpError && error.transient) {
      this.wentOffline(message);
      return;
    }
    this.lastError = message;
    this.hallLink?.observe(this.onlineValue);
    this.emitStatus();
  }

  /** The central API is out of reach (a transient failure, or a poke socket gone silent). */
  private wentOffline(reason: string): void {
    this.onlineValue = false;
    this.onlineSince = undefined;
    this.lastError = reason;
    this.hallLink?.observe(false);
    this.emitStatus();
  }

  /** One loop: run a step; on success wait for a wake or the poll interval; on failure back off. */
  private async loop(name: 'upload' | 'download', step: (signal: AbortSignal) => Promise<boolean>): Promise<void> {
    const waiter = name === 'upload' ? this.upload : this.download;
    let failures = 0;
    while (this.running) {
      const abort = new AbortController();
      this.steps[name] = { since: this.now(), abort };
      let more = false;
      let delay = this.options.pollIntervalMs;
      try {
        more = await step(abort.signal);
        failures = 0;
      } catch (error) {
        failures += 1;
        this.failed(error);
        delay = this.backoff(failures, error instanceof SyncHttpError ? error.retryAfterSeconds : undefined);
      } finally {
        this.steps[name] = { since: 0, abort: undefined };
      }
      if (!this.running) break;
      if (more) continue;
      // Held by the push gate: look again soon (the gap filling may change nothing visible, so nothing wakes us).
      if (name === 'upload' && this.heldMs > 0) delay = Math.min(delay, this.heldMs, HOLD_RECHECK_MS);
      await waiter.wait(delay);
    }
  }

  private checkStalls(): void {
    for (const name of ['upload', 'download'] as const) {
      const step = this.steps[name];
      if (step.abort && step.since > 0 && this.now() - step.since > this.options.stallMs) {
        step.abort.abort(new Error(`${name} step stalled`));
        this.emit('stalled', name);
      }
    }
  }

  /**
   * Pushes one batch: the hall's undecided mutations as an HLC-ordered prefix (own and,
   * before them, every earlier one heard from peers), so the server applies them in the
   * order the hall acted on. True when more is waiting.
   */
  private async uploadStep(signal: AbortSignal): Promise<boolean> {
    const store = this.core.store;
    this.heldMs = 0;
    // The API away, under a return hold: nothing is read or tried; finding the API wakes this loop (succeeded → kick).
    if (this.returnHold() > 0 && !this.onlineValue) return false;
    let batch = boundedBatch(store.pushCandidates(this.pushLimit, this.options.relayAfterMs, this.mayRelay()), this.options.pushBytes);
    if (batch.length === 0) return false;
    const hold = Math.max(this.holdAfterReturn(), this.pushHold());
    if (hold > 0) {
      this.heldMs = hold;
      return false;
    }
    let response = await this.pushOnce(batch, signal);
    if (response === 'again') return true;
    if (this.serverRestored(response.server)) return true;
    if (response.resendFrom !== undefined && response.results.length === 0) {
      // The server lacks seqs below our first pending one (its database was restored):
      // resend from where it stands, acknowledged rows included.
      batch = boundedBatch(store.mutationsFrom(response.resendFrom, this.pushLimit), this.options.pushBytes);
      response = await this.pushOnce(batch, signal);
      if (response === 'again') return true;
    }
    // A full batch went through: let the next one grow back towards the configured size.
    this.pushLimit = Math.min(this.options.pushBatch, this.pushLimit * 2);
    if (response.blocked) store.recordBlocked(response.blocked);
    // Peer mutations the server would not take from this station: left to their origin.
    const unrelayable = store.recordUnrelayable(response.unproven ?? []);
    const rejected = store.recordResults(response.results);
    for (const row of rejected) this.emit('rejected', rejectionOf(row));
    this.succeeded();
    return (response.results.length > 0 || unrelayable > 0) && store.pushCandidates(1, this.options.relayAfterMs, this.mayRelay()).length > 0;
  }

  /** What `returnHold` asks of this push: the rest of the hold since the API was found again. */
  private holdAfterReturn(): number {
    const hold = this.returnHold();
    if (hold <= 0) return 0;
    return Math.max(0, (this.onlineSince ?? this.now()) + hold - this.now());
  }

  /**
   * Peers' mutations are pushed on their behalf only once this station has reached the
   * central API for a while: right after an outage, each station first gets the chance to
   * push its own, and a peer that is gone is covered a few seconds later.
   */
  private mayRelay(): boolean {
    return this.onlineSince !== undefined && this.now() - this.onlineSince >= this.options.relayAfterMs;
  }

  /**
   * One push. 'again' when the station must change something first and push at once:
   * the server said a seq of this epoch was decided for another mutation (this database
   * was restored from a backup: renumber the unconfirmed work under a new epoch), or the
   * request was too large for it (413: halve the batch, down to one mutation).
   */
  private async pushOnce(batch: Mutation[], signal: AbortSignal): Promise<PushResponse | 'again'> {
    try {
      return await this.client.push(this.core.store.epoch, batch, signal);
    } catch (error) {
      if (!(error instanceof SyncHttpError)) throw error;
      if (error.code === SEQ_REUSED) {
        this.core.store.openNewEpoch();
        this.emit('epoch', this.core.store.epoch);
        return 'again';
      }
      if (error.status === 413 && batch.length > 1) {
        this.pushLimit = Math.max(1, Math.floor(batch.length / 2));
        return 'again';
      }
      throw error;
    }
  }

  /** Pulls pages until caught up, refreshes the catalogue and tops up number leases. */
  private async downloadStep(signal: AbortSignal): Promise<boolean> {
    try {
      return await this.pullAll(signal);
    } finally {
      // Whether or not the central API answered: a station offline for days still forgets
      // them, and one that just took a snapshot does not keep the past days it carried.
      this.forgetPastDays();
    }
  }

  private async pullAll(signal: AbortSignal): Promise<boolean> {
    const store = this.core.store;
    if (!store.catalogue || this.now() - this.lastCatalogueAt > this.options.catalogueRefreshMs) {
      const catalogue = await this.client.catalogue(signal);
      if (catalogue.version !== store.catalogue?.version) store.replaceCatalogue(catalogue);
      this.lastCatalogueAt = this.now();
    }
    for (let pages = 0; pages < 1000; pages++) {
      if (store.snapshotDue) {
        store.applySnapshot(await this.client.snapshot(signal));
        continue;
      }
      const page = await this.client.pull(store.cursor, this.options.pullPage, signal);
      if (this.serverRestored(page.server)) continue;
      if (page.kind === 'snapshotRequired') {
        store.applySnapshot(await this.client.snapshot(signal));
        continue;
      }
      if (page.entries.length > 0 || page.cursor !== store.cursor || page.settled?.length) store.applyPage(page.entries, page.cursor, page.settled);
      if (!page.hasMore) break;
    }
    // A pulled page may have confirmed the peer mutation this station's own were waiting behind.
    if (store.outboxCounts().pending > 0) this.upload.wake();
    if (this.core.identity.role === 'kiosk') await this.topUpLeases(signal);
    this.scrubForms();
    this.succeeded();
    return false;
  }

  /**
   * A sync answer from a central database that lost what this station saw (restored from
   * a backup): the store has made its lost work unconfirmed again under a new epoch and
   * owes a snapshot; both loops run at once. The answer itself is not used.
   */
  private serverRestored(server: ServerIdentity | undefined): boolean {
    if (this.core.store.checkServer(server) !== 'restored') return false;
    this.emit('epoch', this.core.store.epoch);
    this.kick();
    return true;
  }

  /** Form values acknowledged longer ago than the restore horizon leave the outbox (at most once a minute). */
  private scrubForms(): void {
    const now = this.now();
    if (now - this.lastScrubAt < 60_000) return;
    this.lastScrubAt = now;
    this.core.store.scrubAcknowledgedForms(new Date(now - this.options.formRetentionMs).toISOString());
  }

  /** Past hall-days and acknowledged rows past the restore horizon leave the store (at most once per retentionEveryMs). */
  private forgetPastDays(): void {
    const now = this.now();
    const catalogue = this.core.store.catalogue;
    if (!catalogue || now - this.lastRetentionAt < this.options.retentionEveryMs) return;
    this.lastRetentionAt = now;
    try {
      this.core.store.forgetPastDays({
        liveDay: this.core.today(),
        pastDays: this.options.pastDaysKept,
        ackedBefore: new Date(now - this.options.outboxRetentionMs).toISOString(),
        timeZone: catalogue.hall.timeZone,
      });
    } catch (error) {
      // Housekeeping never stops sync: shown in the status, tried again next time.
      this.lastError = `retention: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  private async topUpLeases(signal: AbortSignal): Promise<void> {
    const store = this.core.store;
    const catalogue = store.catalogue;
    if (!catalogue) return;
    const day = this.core.today();
    for (const queue of catalogue.queues) {
      if (!queue.kinds.some((k) => k !== 'appointment')) continue;
      // Bounded: a low-water mark above what the queue can hold must not loop forever.
      for (let blocks = 0; blocks < 100 && store.remainingNumbers(queue.id, day) < this.options.leaseLowWater; blocks++) {
        try {
          store.addNumberBlock(await this.client.lease(queue.id, day, this.options.leaseBlockSize, signal));
        } catch (error) {
          if (error instanceof SyncHttpError && error.code === 'numbers_exhausted') break;
          throw error;
        }
      }
    }
  }

  /** Pings the poke socket; a ping unanswered by the next one: the API stopped answering (see pokeLivenessMs). */
  private watchSocket(socket: WebSocket): NodeJS.Timeout {
    let answered = true;
    socket.on('pong', () => {
      answered = true;
    });
    return setInterval(() => {
      if (!answered) {
        this.wentOffline(`the central API has not answered for ${Math.round(this.options.pokeLivenessMs / 1000)} s`);
        socket.terminate();
        return;
      }
      answered = false;
      socket.ping();
    }, this.options.pokeLivenessMs);
  }

  private connectPokes(failures: number): void {
    if (!this.running) return;
    const socket = new WebSocket(this.client.wsUrl, { headers: this.client.authHeaders(), handshakeTimeout: 10_000 });
    this.socket = socket;
    let opened = false;
    let liveness: NodeJS.Timeout | undefined;
    socket.on('open', () => {
      opened = true;
      this.download.wake();
      if (this.options.pokeLivenessMs > 0) liveness = this.watchSocket(socket);
    });
    socket.on('message', (data) => {
      let raw: unknown;
      try {
        raw = JSON.parse(String(data));
      } catch {
        return;
      }
      const poke = PokeSchema.safeParse(raw);
      if (poke.success) this.emit('poke', poke.data.topic);
      if (poke.success && poke.data.topic === 'sync') this.download.wake();
      // The console changed the catalogue (clerk assignments, holidays): fetch it now, not at the next refresh.
      if (poke.success && poke.data.topic === 'catalogue') {
        this.lastCatalogueAt = 0;
        this.download.wake();
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      clearInterval(liveness);
      if (this.socket !== socket || !this.running) return;
      const next = opened ? 0 : failures + 1;
      this.socketRetry = setTimeout(() => this.connectPokes(next), this.backoff(next + 1));
    });
  }
}
