import type { z } from 'zod';
import type { CentralRoute } from './routes';

export const API_BASE_PATH = '/api/v1';

/** The API base every route hangs from, from the station config's origin (apiUrl). */
export function centralApiBase(apiUrl: string): string {
  return apiUrl.replace(/\/+$/, '') + API_BASE_PATH;
}

/**
 * Why a central-API call gave nothing usable, in the three kinds a caller acts on:
 * `unavailable` — no answer, a timeout, a cut body, 5xx, 408 or 429: retry later, work
 * offline meanwhile; `refused` — any other 4xx: the server decided (its `code` says what);
 * `malformed` — an answer that fails its route's schema: a server this station does not
 * understand. `status` is 0 when there was no usable HTTP answer.
 */
export interface CentralFailure {
  readonly kind: 'unavailable' | 'refused' | 'malformed';
  readonly status: number;
  /** The server's error code, or network / http_error / malformed_response. */
  readonly code: string;
  /** The server's error message, or what went wrong on the way. */
  readonly message: string;
  /** From a 429/503 answer's Retry-After. */
  readonly retryAfterSeconds?: number;
}

export type CentralResult<T> = { ok: true; value: T } | { ok: false; failure: CentralFailure };

/**
 * A failure thrown, for callers that fail by exception (loops that catch and back off). Every
 * error the station's central-API calls throw is one of these, with the failure inside.
 */
export class CentralApiError extends Error {
  constructor(
    readonly failure: CentralFailure,
    message = failure.message,
  ) {
    super(message);
    this.name = 'CentralApiError';
  }
}

export interface CentralApiOptions {
  /** The API base, …/api/v1 (centralApiBase of the config's apiUrl). */
  base: string;
  /** Headers of every call: the device credential, protocol versions. */
  headers?: () => Record<string, string>;
  timeoutMs?: number;
  /** Sees each HTTP answer before its body is read (the sync client times round trips with it). */
  onAnswer?: (response: Response, sentAt: number) => void;
  now?: () => number;
}

export interface CentralRequest {
  body?: unknown;
  /** This call's own limit; a person waiting at a screen gets a short one. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Added to (and overriding) the client's headers, e.g. a clerk's session instead of the device's. */
  headers?: Record<string, string>;
}

type RequestFor<P> = [P] extends [void] ? [request?: CentralRequest] : [request: CentralRequest & { params: P }];

const UNAVAILABLE_STATUSES = new Set([408, 429]);

/** How an HTTP status without a usable answer reads: server trouble and "slow down" are worth a retry. */
export function kindOfStatus(status: number): 'unavailable' | 'refused' {
  return status >= 500 || UNAVAILABLE_STATUSES.has(status) ? 'unavailable' : 'refused';
}

/**
 * The station's one HTTP client of the central API: every call goes out here, with the
 * client's headers, a timeout, and its answer checked against the route's schema. Expected
 * failures come back as a CentralFailure, never as a throw.
 */
export class CentralApi {
  readonly #now: () => number;

  constructor(private readonly options: CentralApiOptions) {
    this.#now = options.now ?? Date.now;
  }

  get base(): string {
    return this.options.base;
  }

  async call<P, S extends z.ZodType>(route: CentralRoute<P, S>, ...[request]: RequestFor<P>): Promise<CentralResult<z.output<S>>> {
    const { body, signal, headers } = request ?? {};
    const params = (request as { params?: P } | undefined)?.params as P;
    const timeout = AbortSignal.timeout(request?.timeoutMs ?? this.options.timeoutMs ?? 10_000);
    const sentAt = this.#now();
    let response: Response;
    try {
      response = await fetch(this.options.base + route.path(params), {
        method: route.method,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...this.options.headers?.(),
          ...headers,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (error) {
      return fail('unavailable', 0, 'network', `network error: ${(error as Error).message}`);
    }
    this.options.onAnswer?.(response, sentAt);
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      return fail('unavailable', 0, 'network', `response cut: ${(error as Error).message}`);
    }
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      // A proxy that cut the body half-way produces this; it is a network fault, retry.
      return response.ok
        ? fail('unavailable', 0, 'malformed_response', `unparseable response (${response.status})`)
        : fail(kindOfStatus(response.status), response.status, 'malformed_response', `unparseable response (${response.status})`);
    }
    if (!response.ok) return refusalOf(response, json);
    const parsed = route.response.safeParse(json);
    if (!parsed.success) return fail('malformed', 0, 'malformed_response', `response does not match its schema: ${parsed.error.issues[0]?.message ?? ''}`);
    return { ok: true, value: parsed.data };
  }

  /** `call` for code that fails by exception: the value, or a CentralApiError. */
  async require<P, S extends z.ZodType>(route: CentralRoute<P, S>, ...request: RequestFor<P>): Promise<z.output<S>> {
    const result = await this.call(route, ...request);
    if (result.ok) return result.value;
    const { failure } = result;
    const params = (request[0] as { params?: P } | undefined)?.params as P;
    throw new CentralApiError(failure, `${route.method} ${route.path(params)}: ${failure.status === 0 ? '' : `${failure.status} `}${failure.message}`);
  }
}

function fail(kind: CentralFailure['kind'], status: number, code: string, message: string): { ok: false; failure: CentralFailure } {
  return { ok: false, failure: { kind, status, code, message } };
}

function refusalOf(response: Response, json: unknown): { ok: false; failure: CentralFailure } {
  const error = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
  const retryAfter = Number(response.headers.get('retry-after'));
  return {
    ok: false,
    failure: {
      kind: kindOfStatus(response.status),
      status: response.status,
      code: error?.code ?? 'http_error',
      message: error?.message ?? `HTTP ${response.status}`,
      ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterSeconds: retryAfter } : {}),
    },
  };
}
