import {
  STATION_EVENTS,
  STATION_METHODS,
  type EventData,
  type MethodParams,
  type MethodResult,
  type StationBridge,
  type StationEvent,
  type StationMethod,
} from './contract';
import { ServerMessageSchema } from './wire';
import { callErrorFromWire, StationCallError } from './failure';

/** The minimal socket a bridge needs: the browser's WebSocket and the `ws` package both fit. */
export interface MessageSocket {
  send(data: string): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

/**
 * A StationBridge over a message socket (browser mode). Validates params before sending
 * and results/events on arrival, so a renderer never acts on a malformed message.
 */
export function createSocketBridge(socket: MessageSocket): StationBridge & { dispose(reason: string): void } {
  let nextId = 1;
  const pending = new Map<number | string, { method: StationMethod; resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const listeners = new Map<string, Set<(data: unknown) => void>>();

  socket.addEventListener('message', (event) => {
    if (typeof event.data !== 'string') return;
    let raw: unknown;
    try {
      raw = JSON.parse(event.data);
    } catch {
      return;
    }
    const parsed = ServerMessageSchema.safeParse(raw);
    if (!parsed.success) return;
    const message = parsed.data;
    if (message.type === 'event') {
      const schema = STATION_EVENTS[message.event as StationEvent] as (typeof STATION_EVENTS)[StationEvent] | undefined;
      if (!schema) return;
      const data = schema.safeParse(message.data);
      if (!data.success) return;
      for (const listener of listeners.get(message.event) ?? []) listener(data.data);
      return;
    }
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (!message.ok) {
      waiter.reject(callErrorFromWire(message.error));
      return;
    }
    const result = STATION_METHODS[waiter.method].result.safeParse(message.result);
    if (result.success) waiter.resolve(result.data);
    else waiter.reject(new StationCallError({ code: 'internal', message: `malformed result for ${waiter.method}` }));
  });

  return {
    call<M extends StationMethod>(method: M, params: MethodParams<M>): Promise<MethodResult<M>> {
      const checked = STATION_METHODS[method].params.safeParse(params);
      if (!checked.success) {
        const issue = checked.error.issues[0];
        return Promise.reject(
          new StationCallError({
            code: 'bad_request',
            message: `${method}: ${issue?.path.join('.') || '(params)'}: ${issue?.message ?? 'invalid'}`,
          }),
        );
      }
      const id = nextId++;
      return new Promise<MethodResult<M>>((resolve, reject) => {
        pending.set(id, { method, resolve: resolve as (v: unknown) => void, reject });
        socket.send(JSON.stringify({ type: 'request', id, method, params }));
      });
    },
    on<E extends StationEvent>(event: E, listener: (data: EventData<E>) => void): () => void {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      const wrapped = listener as (data: unknown) => void;
      set.add(wrapped);
      return () => set.delete(wrapped);
    },
    dispose(reason: string) {
      for (const waiter of pending.values()) waiter.reject(new StationCallError({ code: 'unavailable', message: reason }));
      pending.clear();
    },
  };
}
