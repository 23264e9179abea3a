import { randomBytes } from 'node:crypto';
import { caseMaterials, SYNC_HEADERS, SYNC_PROTOCOL_VERSION, SYNC_SCHEMA_VERSION, uuidV7, type Mutation, type Service } from '@hall/shared';
// Tests sign counter mutations as a counter station does (the same prover the station uses).
import { ClerkSessionProver } from '@hall/station';
import { proven } from '../../../apps/server/src/testing/clerk';
import type { CentralApi } from './harness';

const SYNC = { [SYNC_HEADERS.protocol]: String(SYNC_PROTOCOL_VERSION), [SYNC_HEADERS.schema]: String(SYNC_SCHEMA_VERSION) };
const newId = () => uuidV7(Date.now(), randomBytes(10));

async function call(api: CentralApi, method: string, path: string, token: string | undefined, body?: unknown, headers: Record<string, string> = {}): Promise<Record<string, unknown>> {
  const response = await fetch(`${api.url}/api/v1${path}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

export async function login(api: CentralApi, user: string, password: string): Promise<string> {
  return String((await call(api, 'POST', '/auth/login', undefined, { login: user, password })).token);
}

/**
 * A counter station of the demo hall as the central API sees it: enrolled by the hall
 * manager, its clerk signed in, pushing clerk-proven mutations over the real sync API.
 */
export async function counterDevice(api: CentralApi, options: { id: string; hallId: string; counterId: string; clerk: { login: string; password: string } }) {
  const manager = await login(api, 'hallmanager', 'demo-hallmanager');
  const created = await call(api, 'POST', '/sync/devices', manager, { id: options.id, hallId: options.hallId, role: 'counter', name: options.id, counterId: options.counterId }, SYNC);
  const enrolled = await call(api, 'POST', '/sync/enroll', undefined, { code: created.enrollmentCode }, SYNC);
  const credential = String(enrolled.credential);
  const signedIn = (await call(api, 'POST', '/sync/clerk-sign-in', credential, options.clerk, SYNC)) as { staff: { id: string }; clerkKey: { id: string; secret: string } };
  const prover = new ClerkSessionProver(
    { id: signedIn.clerkKey.id, secret: Buffer.from(signedIn.clerkKey.secret, 'base64url') },
    { session: newId(), staffId: signedIn.staff.id, deviceId: options.id, counterId: options.counterId, startedAt: new Date().toISOString() },
  );
  const epoch = `epoch-${randomBytes(4).toString('hex')}`;
  let seq = 0;
  const push = async (type: string, payload: Record<string, unknown>) => {
    seq += 1;
    const mutation = { id: newId(), deviceId: options.id, epoch, seq, type, payload: { at: new Date().toISOString(), ...payload }, hlc: `h-${seq}` } as Mutation;
    const answer = (await call(api, 'POST', '/sync/push', credential, { epoch, mutations: [proven(prover, mutation)] }, SYNC)) as { results: { status: string; code?: string }[] };
    const result = answer.results[0];
    if (result?.status !== 'applied') throw new Error(`${type}: ${JSON.stringify(result)}`);
  };
  return {
    staffId: signedIn.staff.id,
    /** 受理 at this counter with every material of the service received: the case as the receipt names it. */
    async accept(service: Service, citizen: { maskedName: string; idHash: string }, caseNumber: string) {
      const caseId = newId();
      const receiptToken = randomBytes(24).toString('base64url');
      const received = caseMaterials(service, { answers: {} }).map((m) => ({ materialId: m.id, pageCount: 1 }));
      await push('acceptCase', { caseId, serviceId: service.id, counterId: options.counterId, citizen, answers: {}, received, caseNumber, receiptToken, delivery: 'counter' });
      return { caseId, receiptToken, caseNumber };
    },
  };
}

/** An officer (后台审批) of a department, created by the hall manager, signed in. */
export async function officer(api: CentralApi, hallId: string, departmentId: string, id: string) {
  const manager = await login(api, 'hallmanager', 'demo-hallmanager');
  const password = 'e2e-officer-password';
  await call(api, 'POST', '/staff', manager, { id, hallId, login: id, displayName: '审*', staffNumber: id.slice(-6), departmentId, roles: ['officer'], password });
  const token = await login(api, id, password);
  return (caseId: string, action: 'approve' | 'complete' | 'supplement', body: Record<string, unknown> = {}) => call(api, 'POST', `/halls/${hallId}/back-office/cases/${caseId}/${action}`, token, body);
}
