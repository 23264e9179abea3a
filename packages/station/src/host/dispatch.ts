import {
  isMethodOfRole,
  isStationMethod,
  RequestMessageSchema,
  STATION_METHODS,
  StationCallError,
  type ResponseMessage,
  type StationApiHandlers,
  type StationError,
  type StationMethod,
} from '@hall/shared';
import type { StationRole } from '@hall/shared';

/**
 * Transport-independent request handling shared by the WebSocket host and the Electron
 * IPC adapter: parse, check the role, validate params, call, validate the result.
 */
export async function dispatchRequest(
  raw: unknown,
  role: StationRole,
  handlers: StationApiHandlers,
): Promise<ResponseMessage | undefined> {
  const request = RequestMessageSchema.safeParse(raw);
  if (!request.success) return undefined;
  const { id, method, params } = request.data;
  const fail = (error: StationError): ResponseMessage => ({ type: 'response', id, ok: false, error });
  if (!isStationMethod(method)) return fail({ code: 'unknown_method', message: `unknown method "${method}"` });
  const spec = STATION_METHODS[method];
  if (!isMethodOfRole(role, method)) {
    return fail({ code: 'forbidden', message: `${method} is not available on a ${role} station` });
  }
  const parsed = spec.params.safeParse(params ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return fail({
      code: 'bad_request',
      message: `${method}: ${issue?.path.join('.') || '(params)'}: ${issue?.message ?? 'invalid'}`,
    });
  }
  const handler = handlers[method] as ((p: unknown) => unknown) | undefined;
  if (!handler) return fail({ code: 'unknown_method', message: `${method} is not implemented by this station` });
  try {
    const result = await handler(parsed.data);
    const checked = (STATION_METHODS[method as StationMethod].result as { safeParse(v: unknown): { success: boolean; data?: unknown } }).safeParse(result);
    if (!checked.success) return fail({ code: 'internal', message: `${method} produced a malformed result` });
    return { type: 'response', id, ok: true, result: checked.data };
  } catch (error) {
    // A LocalRejection (an expected refusal) or another StationCallError the handler chose: sent as it is.
    if (error instanceof StationCallError) return fail(error.error);
    return fail({ code: 'internal', message: `${method} failed` });
  }
}
