import {
  callErrorFromWire,
  ResponseMessageSchema,
  STATION_EVENTS,
  STATION_METHODS,
  StationCallError,
  type EventData,
  type MethodParams,
  type MethodResult,
  type StationBridge,
  type StationEvent,
  type StationMethod,
} from '@hall/shared';

/**
 * What an Electron preload exposes as `window.stationIpc`: one request channel and one
 * event stream, nothing else. Errors and results travel as plain data (the structured
 * clone across contextBridge drops custom error fields), so the bridge below can give the
 * renderer the same validated results and errors (LocalRejection for a refusal) as the WebSocket transport.
 */
export interface StationIpc {
  request(message: { type: 'request'; id: number; method: string; params: unknown }): Promise<unknown>;
  on(event: string, listener: (data: unknown) => void): () => void;
}

export function createIpcBridge(ipc: StationIpc): StationBridge {
  let nextId = 1;
  return {
    async call<M extends StationMethod>(method: M, params: MethodParams<M>): Promise<MethodResult<M>> {
      const checked = STATION_METHODS[method].params.safeParse(params);
      if (!checked.success) {
        const issue = checked.error.issues[0];
        throw new StationCallError({ code: 'bad_request', message: `${method}: ${issue?.path.join('.') || '(params)'}: ${issue?.message ?? 'invalid'}` });
      }
      const raw = await ipc.request({ type: 'request', id: nextId++, method, params }).catch((error: unknown) => {
        throw new StationCallError({ code: 'unavailable', message: error instanceof Error ? error.message : 'the station did not answer' });
      });
      const response = ResponseMessageSchema.safeParse(raw);
      if (!response.success) throw new StationCallError({ code: 'internal', message: `${method}: malformed answer` });
      if (!response.data.ok) throw callErrorFromWire(response.data.error);
      const result = STATION_METHODS[method].result.safeParse(response.data.result);
      if (!result.success) throw new StationCallError({ code: 'internal', message: `malformed result for ${method}` });
      return result.data as MethodResult<M>;
    },
    on<E extends StationEvent>(event: E, listener: (data: EventData<E>) => void): () => void {
      return ipc.on(event, (data) => {
        const parsed = STATION_EVENTS[event].safeParse(data);
        if (parsed.success) listener(parsed.data as EventData<E>);
      });
    },
  };
}
