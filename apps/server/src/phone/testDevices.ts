import { randomBytes } from 'node:crypto';
import { SYNC_HEADERS, SYNC_PROTOCOL_VERSION, SYNC_SCHEMA_VERSION, uuidV7, type Mutation, type PushResponse } from '@hall/shared';
import { proven, signInClerk } from '../testing/clerk';
import { deviceProven, deviceProverOf } from '../testing/deviceKey';
import { bearer, type TestServer } from '../testing/server';

const versions = { [SYNC_HEADERS.protocol]: String(SYNC_PROTOCOL_VERSION), [SYNC_HEADERS.schema]: String(SYNC_SCHEMA_VERSION) };

/**
 * For the phone's tests (server and manager token are read when first used, after beforeAll): the API as staff call it, and enrolled hall-t1 devices pushing one
 * mutation at a time (a counter device serves t1-c1 as the fixture clerk, with its proof).
 */
export function hallDevices(server: () => TestServer, manager: () => string, nowMs: () => number = Date.now) {
  const newId = () => uuidV7(nowMs(), randomBytes(10));
  const api = async (method: 'GET' | 'POST', url: string, token: string, payload?: Record<string, unknown>) => {
    const response = await server().app.inject({ method, url: `/api/v1${url}`, headers: { ...versions, ...bearer(token) }, ...(payload === undefined ? {} : { payload }) });
    return { status: response.statusCode, body: response.json() };
  };
  async function device(id: string, role: 'kiosk' | 'counter') {
    const counterId = role === 'counter' ? 't1-c1' : undefined;
    const created = await api('POST', '/sync/devices', manager(), { id, hallId: 't1-hall', role, name: id, ...(counterId ? { counterId } : {}) });
    const enrolled = await server().app.inject({ method: 'POST', url: '/api/v1/sync/enroll', headers: versions, payload: { code: created.body.enrollmentCode } });
    const credential = enrolled.json().credential as string;
    const clerk = counterId ? await signInClerk(server().app, { id, credential, counterId }, 't1-clerk', { startedAt: new Date(nowMs()).toISOString() }) : undefined;
    // Every mutation carries its device proof, as a station's do.
    const prover = await deviceProverOf(server().app, credential);
    const epoch = `epoch-${randomBytes(4).toString('hex')}`;
    let seq = 0;
    const mutationOf = (type: string, payload: Record<string, unknown>): Mutation => {
      seq += 1;
      const mutation = { id: newId(), deviceId: id, epoch, seq, type, payload: { at: new Date(nowMs()).toISOString(), ...payload }, hlc: `h-${seq}` } as Mutation;
      return deviceProven(prover, clerk ? proven(clerk, mutation) : mutation);
    };
    /** Several mutations in one push, as a station's outbox sends its backlog (one request, within the device's rate limit). */
    const pushAll = async (items: { type: string; payload: Record<string, unknown> }[]) => {
      const response = await api('POST', '/sync/push', credential, { epoch, mutations: items.map((m) => mutationOf(m.type, m.payload)) });
      const results = (response.body as PushResponse).results;
      if (!results) throw new Error(`push: ${response.status} ${JSON.stringify(response.body)}`);
      return results;
    };
    return {
      credential,
      pushAll,
      push: async (type: string, payload: Record<string, unknown>) => (await pushAll([{ type, payload }]))[0]!,
    };
  }
  return { api, device, newId };
}
