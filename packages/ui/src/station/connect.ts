import {
  createSocketBridge,
  STATION_API_PATH,
  STATION_TOKEN_PROTOCOL_PREFIX,
  STATION_UNAUTHORISED_CLOSE_CODE,
  STATION_WS_PROTOCOL,
  StationCallError,
  tokenFromFragment,
  type EventData,
  type MessageSocket,
  type MethodParams,
  type MethodResult,
  type StationBridge,
  type StationEvent,
  type StationMethod,
} from '@hall/shared';
import { createIpcBridge, type StationIpc } from './ipc';

/**
 * `unauthorised`: the station refused this page (no token or a wrong one, e.g. a token of
 * an earlier launch). Final: retrying with the same token cannot succeed.
 */
export type LinkState = 'connecting' | 'open' | 'closed' | 'unauthorised';

/** A bridge that also says whether the station behind it is reachable right now. */
export interface StationConnection extends StationBridge {
  readonly state: LinkState;
  onState(listener: (state: LinkState) => void): () => void;
  close(): void;
}

/** What the reconnecting bridge needs of a WebSocket; the browser's WebSocket fits. */
export interface ReconnectingSocket extends MessageSocket {
  readonly readyState: number;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'close', listener: (event: { code?: number }) => void): void;
  addEventListener(type: 'open' | 'error', listener: () => void): void;
  close(): void;
}

export interface SocketConnectionOptions {
  openSocket: () => ReconnectingSocket;
  /** First retry delay; doubles per failed attempt up to maxDelayMs. */
  minDelayMs?: number;
  maxDelayMs?: number;
  /** How long a call made while disconnected waits for the link before failing. */
  callWaitMs?: number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

const OPEN = 1;

/**
 * The station over a WebSocket that comes back by itself: exponential backoff between
 * attempts, listeners kept across reconnects, and calls made while the link is down
 * wait briefly for it instead of failing at once (a kiosk page outlives station restarts).
 */
export function createReconnectingConnection(options: SocketConnectionOptions): StationConnection {
  const minDelay = options.minDelayMs ?? 250;
  const maxDelay = options.maxDelayMs ?? 5000;
  const callWaitMs = options.callWaitMs ?? 5000;
  const setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  const clearTimer = options.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));

  const listeners = new Map<StationEvent, Set<(data: never) => void>>();
  const stateListeners = new Set<(state: LinkState) => void>();
  const waiters = new Set<() => void>();
  let state: LinkState = 'connecting';
  let current: (StationBridge & { dispose(reason: string): void }) | undefined;
  let socket: ReconnectingSocket | undefined;
  let attempt = 0;
  let closed = false;
  let retryTimer: unknown;
  /** Events the live socket's bridge forwards to `listeners` (one forwarder per event). */
  let wired = new Set<StationEvent>();
  let latest: StationBridge | undefined;

  const wire = (bridge: StationBridge, event: StationEvent) => {
    if (wired.has(event)) return;
    wired.add(event);
    bridge.on(event, (data) => {
      for (const listener of [...(listeners.get(event) ?? [])]) (listener as (d: unknown) => void)(data);
    });
  };

  const setState = (next: LinkState) => {
    if (state === next) return;
    state = next;
    for (const listener of stateListeners) listener(next);
    if (next === 'open') for (const wake of [...waiters]) wake();
  };

  const connect = () => {
    if (closed) return;
    setState('connecting');
    const ws = options.openSocket();
    socket = ws;
    const bridge = createSocketBridge(ws);
    latest = bridge;
    wired = new Set();
    for (const event of listeners.keys()) wire(bridge, event);
    let settled = false;
    const lost = (event?: { code?: number }) => {
      if (settled) return;
      settled = true;
      bridge.dispose('the station link was lost');
      if (current === bridge) current = undefined;
      if (closed) return;
      if (event?.code === STATION_UNAUTHORISED_CLOSE_CODE) {
        closed = true;
        setState('unauthorised');
        return;
      }
      setState('closed');
      const delay = Math.min(maxDelay, minDelay * 2 ** attempt);
      attempt++;
      retryTimer = setTimer(connect, delay);
    };
    ws.addEventListener('open', () => {
      attempt = 0;
      current = bridge;
      setState('open');
    });
    ws.addEventListener('close', lost);
    ws.addEventListener('error', () => {
      lost();
      ws.close();
    });
  };

  const whenOpen = (): Promise<StationBridge> => {
    if (current && socket?.readyState === OPEN) return Promise.resolve(current);
    return new Promise((resolve, reject) => {
      const timer = setTimer(() => {
        waiters.delete(wake);
        reject(new StationCallError({ code: 'unavailable', message: 'the station is not reachable' }));
      }, callWaitMs);
      const wake = () => {
        if (!current) return;
        waiters.delete(wake);
        clearTimer(timer);
        resolve(current);
      };
      waiters.add(wake);
    });
  };

  connect();

  return {
    get state() {
      return state;
    },
    async call<M extends StationMethod>(method: M, params: MethodParams<M>): Promise<MethodResult<M>> {
      const bridge = await whenOpen();
      return bridge.call(method, params);
    },
    on<E extends StationEvent>(event: E, listener: (data: EventData<E>) => void): () => void {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener as (data: never) => void);
      if (latest) wire(latest, event);
      return () => {
        set.delete(listener as (data: never) => void);
      };
    },
    onState(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    close() {
      closed = true;
      clearTimer(retryTimer);
      socket?.close();
      setState('closed');
    },
  };
}

/** A page opened without the station token: nothing to connect with, said at once. */
export function unauthorisedConnection(): StationConnection {
  const refuse = () => Promise.reject(new StationCallError({ code: 'forbidden', message: 'this page has no station token' }));
  return {
    state: 'unauthorised',
    call: refuse,
    on: () => () => undefined,
    onState: () => () => undefined,
    close: () => undefined,
  };
}

/** An always-open connection around a bridge that has no link of its own (Electron IPC). */
export function bridgeConnection(bridge: StationBridge): StationConnection {
  return {
    state: 'open',
    call: (method, params) => bridge.call(method, params),
    on: (event, listener) => bridge.on(event, listener),
    onState: () => () => undefined,
    close: () => undefined,
  };
}

declare global {
  interface Window {
    /** Set by an Electron preload exposing a full bridge; absent in browser mode. */
    station?: StationBridge;
    /** Set by an Electron preload exposing the raw IPC channel (see ipc.ts). */
    stationIpc?: StationIpc;
  }
}

/**
 * The renderer's one way to its station: the Electron preload's channel when present,
 * else a WebSocket to /station-api on the page's own host (browser mode), offering the
 * token the station put in the page URL's fragment.
 */
export function connectStation(): StationConnection {
  if (window.stationIpc) return bridgeConnection(createIpcBridge(window.stationIpc));
  if (window.station) return bridgeConnection(window.station);
  const token = tokenFromFragment(window.location.hash);
  if (!token) return unauthorisedConnection();
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  const url = `${scheme}//${window.location.host}${STATION_API_PATH}`;
  const protocols = [STATION_WS_PROTOCOL, `${STATION_TOKEN_PROTOCOL_PREFIX}${token}`];
  return createReconnectingConnection({ openSocket: () => new WebSocket(url, protocols) });
}
