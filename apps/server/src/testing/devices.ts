import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { SYNC_HEADERS, SYNC_PROTOCOL_VERSION, SYNC_SCHEMA_VERSION, uuidV7, type Mutation, type PushResponse } from '@hall/shared';
import { proven, signInClerk } from './clerk';
import { deviceProven, deviceProverOf } from './deviceKey';
import { bearer, type TestServer } from './server';

export const SYNC_VERSIONS = { [SYNC_HEADERS.protocol]: String(SYNC_PROTOCOL_VERSION), [SYNC_HEADERS.schema]: String(SYNC_SCHEMA_VERSION) };
export const newMutationId = () => uuidV7(Date.now(), randomBytes(10));

/** A call to the API as a test makes it: status and parsed body. */
export async function apiCall(server: TestServer, method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, token: string, payload?: Record<string, unknown>) {
  const response = await server.app.inject({ method, url: `/api/v1${url}`, headers: { ...SYNC_VERSIONS, ...bearer(token) }, ...(payload === undefined ? {} : { payload }) });
  return { status: response.statusCode, body: response.json() };
}

/**
 * An enrolled device pushing one mutation at a time, numbered like a station's outbox; a
 * counter device pushes as its signed-in clerk with the session's proof.
 */
export async function pushingDevice(
  server: TestServer,
  options: { id: string; role: 'kiosk' | 'counter'; hall: string; managerToken: string; counterId?: string | undefined; clerk?: string; now: () => number },
) {
  const { id, role, hall, counterId } = options;
  const created = await apiCall(server, 'POST', '/sync/devices', options.managerToken, { id, hallId: `${hall}-hall`, role, name: id, ...(counterId ? { counterId } : {}) });
  const enrolled = await server.app.inject({ method: 'POST', url: '/api/v1/sync/enroll', headers: SYNC_VERSIONS, payload: { code: created.body.enrollmentCode } });
  const credential = enrolled.json().credential as string;
  const clerk = counterId ? await signInClerk(server.app, { id, credential, counterId }, options.clerk ?? `${hall}-clerk`, { startedAt: new Date(options.now()).toISOString() }) : undefined;
  // Every mutation carries its device proof, as a station's do.
  const prover = await deviceProverOf(server.app, credential);
  const epoch = `epoch-${randomBytes(4).toString('hex')}`;
  let seq = 0;
  let last: Record<string, unknown> | undefined;
  const send = async (mutation: Record<string, unknown>): Promise<PushResponse['results'][number]> => {
    last = mutation;
    const response = await apiCall(server, 'POST', '/sync/push', credential, { epoch, mutations: [mutation] });
    expect(response.status).toBe(200);
    return (response.body as PushResponse).results[0]!;
  };
  return {
    credential,
    push: async (type: string, payload: Record<string, unknown>) => {
      seq += 1;
      const mutation = { id: newMutationId(), deviceId: id, epoch, seq, type, payload: { at: new Date(options.now()).toISOString(), ...payload }, hlc: `h-${seq}` } as Mutation;
      return send(deviceProven(prover, clerk ? proven(clerk, mutation) : mutation));
    },
    /** The last mutation again, as a station whose answer was lost sends it. */
    retry: async () => send(last!),
  };
}
