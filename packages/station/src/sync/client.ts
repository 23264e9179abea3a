import {
  SYNC_HEADERS,
  SYNC_PATHS,
  SYNC_PROTOCOL_VERSION,
  SYNC_SCHEMA_VERSION,
  type CaseFormQuery,
  type CaseFormsResponse,
  type Catalogue,
  type ClerkSignInResponse,
  type ClerkSignOutRequest,
  type EnrollResponse,
  type LanKeyRing,
  type DeviceKey,
  type LinkReportResponse,
  type Mutation,
  type NumberBlock,
  type OutagePeriod,
  type PullResponse,
  type PushResponse,
  type SnapshotResponse,
} from '@hall/shared';
import type { z } from 'zod';
import { CentralApi, CentralApiError, centralApiBase, kindOfStatus, type CentralFailure } from '../central/client';
import { CENTRAL_ROUTES, type CentralRoute } from '../central/routes';
import { ClockOffsetEstimator } from './rules/clockOffset';

/**
 * A sync call that failed: the central-API failure with the fields the sync engine reads.
 * `retryAfterSeconds` comes from a 429/503 answer. A status of 0 means no usable answer.
 */
export class SyncHttpError extends CentralApiError {
  constructor(status: number, code: string, message: string, retryAfterSeconds?: number, kind: CentralFailure['kind'] = status === 0 ? 'malformed' : kindOfStatus(status)) {
    super({ kind, status, code, message, ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) });
    this.name = 'SyncHttpError';
  }

  static of(failure: CentralFailure): SyncHttpError {
    return new SyncHttpError(failure.status, failure.code, failure.message, failure.retryAfterSeconds, failure.kind);
  }

  get status(): number {
    return this.failure.status;
  }

  get code(): string {
    return this.failure.code;
  }

  get retryAfterSeconds(): number | undefined {
    return this.failure.retryAfterSeconds;
  }

  /** Worth retrying later (no answer, overload, server trouble, an answer not for this request) rather than a request we must fix. */
  get transient(): boolean {
    return this.failure.kind !== 'refused';
  }
}

export interface SyncClientOptions {
  /** Central API origin, e.g. https://hall-api.example.gov.cn */
  apiUrl: string;
  credential?: string;
  timeoutMs?: number;
  /** The station's clock (tests inject a skewed one); round trips are timed with it. */
  now?: () => number;
}

/** The sync protocol over the central-API client; every response is validated before the station uses it. */
export class SyncClient {
  private credential: string | undefined;
  private readonly now: () => number;
  /** The station's one client of the central API, with this device's credential. */
  readonly api: CentralApi;
  /** Server clock minus station clock, measured on every answer that carries the server's time. */
  readonly clock = new ClockOffsetEstimator();

  constructor(options: SyncClientOptions) {
    this.credential = options.credential;
    this.now = options.now ?? Date.now;
    this.api = new CentralApi({
      base: centralApiBase(options.apiUrl),
      timeoutMs: options.timeoutMs ?? 10_000,
      now: this.now,
      headers: () => ({
        [SYNC_HEADERS.protocol]: String(SYNC_PROTOCOL_VERSION),
        [SYNC_HEADERS.schema]: String(SYNC_SCHEMA_VERSION),
        ...this.offsetHeader(),
        ...this.authHeaders(),
      }),
      onAnswer: (response, sentAt) => this.measure(sentAt, response),
    });
  }

  /** The request header that reports this station's measured offset, so the console can flag it. */
  private offsetHeader(): Record<string, string> {
    const offset = this.clock.offsetMs;
    return offset === undefined ? {} : { [SYNC_HEADERS.clockOffset]: String(offset) };
  }

  private measure(sentAt: number, response: Response): void {
    const serverTime = Number(response.headers.get(SYNC_HEADERS.serverTime) ?? Number.NaN);
    if (response.ok && Number.isFinite(serverTime)) this.clock.record({ sentAt, receivedAt: this.now(), serverTime });
  }

  setCredential(credential: string): void {
    this.credential = credential;
  }

  get wsUrl(): string {
    return this.api.base.replace(/^http/, 'ws') + SYNC_PATHS.pokes;
  }

  authHeaders(): Record<string, string> {
    return this.credential ? { authorization: `Bearer ${this.credential}` } : {};
  }

  private async call<P, S extends z.ZodType>(route: CentralRoute<P, S>, params: P, body?: unknown, signal?: AbortSignal): Promise<z.output<S>> {
    const result = await this.api.call<unknown, S>(route as CentralRoute<unknown, S>, {
      params,
      ...(body === undefined ? {} : { body }),
      ...(signal ? { signal } : {}),
    });
    if (!result.ok) throw SyncHttpError.of(result.failure);
    return result.value;
  }

  enroll(code: string): Promise<EnrollResponse> {
    return this.call(CENTRAL_ROUTES.enroll, undefined, { code });
  }

  async push(epoch: string, mutations: Mutation[], signal?: AbortSignal): Promise<PushResponse> {
    const response = await this.call(CENTRAL_ROUTES.push, undefined, { epoch, mutations }, signal);
    const stray = strayResult(mutations, response);
    if (stray) throw new SyncHttpError(0, 'malformed_response', `push answer is not for this batch: ${stray}`);
    return response;
  }

  async pull(cursor: number, limit: number, signal?: AbortSignal): Promise<PullResponse> {
    const page = await this.call(CENTRAL_ROUTES.pull, { cursor, limit }, undefined, signal);
    const gap = pageMismatch(cursor, page);
    if (gap) throw new SyncHttpError(0, 'malformed_response', `pull answer is not for cursor ${cursor}: ${gap}`);
    return page;
  }

  snapshot(signal?: AbortSignal): Promise<SnapshotResponse> {
    return this.call(CENTRAL_ROUTES.snapshot, undefined, undefined, signal);
  }

  catalogue(signal?: AbortSignal): Promise<Catalogue> {
    return this.call(CENTRAL_ROUTES.catalogue, undefined, undefined, signal);
  }

  /** 回显: the kiosk form of a case or of a ticket's cases (counter devices only). */
  caseForms(query: CaseFormQuery, signal?: AbortSignal): Promise<CaseFormsResponse> {
    return this.call(CENTRAL_ROUTES.caseForms, query, undefined, signal);
  }

  /** Tells the central API of outage periods this station lived through (idempotent by device and `from`). */
  linkReport(periods: OutagePeriod[], signal?: AbortSignal): Promise<LinkReportResponse> {
    return this.call(CENTRAL_ROUTES.linkReport, undefined, { periods }, signal);
  }

  /** A clerk signs in at this counter device: a staff session and the clerk key (counter devices only). */
  clerkSignIn(login: string, password: string, signal?: AbortSignal): Promise<ClerkSignInResponse> {
    return this.call(CENTRAL_ROUTES.clerkSignIn, undefined, { login, password }, signal);
  }

  /** The clerk signed out at this counter device: the central API ends the session at `endedAt`. */
  async clerkSignOut(end: ClerkSignOutRequest, signal?: AbortSignal): Promise<void> {
    await this.call(CENTRAL_ROUTES.clerkSignOut, undefined, end, signal);
  }

  /** The hall's LAN key ring (any enrolled station; its own hall). */
  lanKeys(signal?: AbortSignal): Promise<LanKeyRing> {
    return this.call(CENTRAL_ROUTES.lanKeys, undefined, undefined, signal);
  }

  /** The key this station proves its mutations with (deviceProof.ts in shared), of its current enrollment. */
  deviceKey(signal?: AbortSignal): Promise<DeviceKey> {
    return this.call(CENTRAL_ROUTES.deviceKey, undefined, undefined, signal);
  }

  async lease(queueId: string, day: string, count: number, signal?: AbortSignal): Promise<NumberBlock> {
    return (await this.call(CENTRAL_ROUTES.lease, undefined, { queueId, day, count }, signal)).block;
  }
}

/*
 * Why answers are checked against their request: a response that belongs to another
 * request must never be applied. HTTP/1.1 pairs responses with requests only by their
 * order on a connection; when that order slips (a middlebox that duplicated a request, so
 * the server answered twice, and the surplus answer was taken as the reply to the next
 * request on the kept-alive connection, possibly another station's in the same process),
 * a pull answer for another cursor would move the cursor backwards and then skip entries
 * for good, and another batch's results would mark this station's mutations by seq with
 * someone else's verdicts. Treated as a network fault (status 0): retried.
 */

/** Why `page` cannot be the answer to a pull after `cursor` (log seqs are contiguous above the horizon), or undefined. */
export function pageMismatch(cursor: number, page: PullResponse): string | undefined {
  if (page.kind !== 'page') return undefined;
  const first = page.entries[0];
  if (!first) return page.cursor === cursor ? undefined : `empty page at cursor ${page.cursor}`;
  if (first.seq !== cursor + 1) return `entries start at seq ${first.seq}`;
  if (page.cursor !== page.entries.at(-1)?.seq) return `page cursor ${page.cursor} is not its last entry's seq`;
  return undefined;
}

/** A result in `response` for no mutation of `batch` (by id, seq and origin), or undefined. */
export function strayResult(batch: readonly Mutation[], response: PushResponse): string | undefined {
  const byId = new Map(batch.map((m) => [m.id, m]));
  for (const result of response.results) {
    const m = byId.get(result.id);
    if (!m || m.seq !== result.seq || (result.deviceId !== undefined && (result.deviceId !== m.deviceId || (result.epoch !== undefined && result.epoch !== m.epoch)))) {
      return `result for ${result.id} seq ${result.seq}`;
    }
  }
  return undefined;
}
