import { randomBytes } from 'node:crypto';
import {
  localDay,
  SYNC_HEADERS,
  SYNC_PROTOCOL_VERSION,
  SYNC_SCHEMA_VERSION,
  uuidV7,
  type Mutation,
  type PushResponse,
} from '@hall/shared';
import type { HallCentral } from '../harness/central';

const HEADERS = { [SYNC_HEADERS.protocol]: String(SYNC_PROTOCOL_VERSION), [SYNC_HEADERS.schema]: String(SYNC_SCHEMA_VERSION), 'content-type': 'application/json' };

async function post<T>(central: HallCentral, path: string, body: unknown, credential?: string): Promise<T> {
  const response = await fetch(`${central.url}/api/v1${path}`, { method: 'POST', headers: { ...HEADERS, ...(credential ? { authorization: `Bearer ${credential}` } : {}) }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/**
 * A kiosk over the real sync API: an enrolled kiosk device that takes a block of numbers
 * and issues tickets from it, as the kiosk station's outbox pushes them (counterDesk.ts is
 * the counter beside it).
 */
export async function kioskDesk(central: HallCentral, deviceId: string) {
  const code = await central.enrollmentCode(deviceId, 'kiosk');
  const { credential } = await post<{ credential: string }>(central, '/sync/enroll', { code });
  const epoch = `epoch-${randomBytes(4).toString('hex')}`;
  let seq = 0;
  return {
    /** Issues one walk-in ticket for the service in the queue and answers its id. */
    async issue(queueId: string, serviceId: string): Promise<string> {
      const { block } = await post<{ block: { start: number } }>(central, '/sync/leases', { queueId, day: localDay(Date.now(), 'Asia/Shanghai'), count: 1 }, credential);
      const ticketId = uuidV7(Date.now(), randomBytes(10));
      seq += 1;
      const mutation = { id: uuidV7(Date.now(), randomBytes(10)), deviceId, epoch, seq, type: 'issueTicket', payload: { ticketId, queueId, serviceIds: [serviceId], kind: 'walk_in', sequence: block.start, at: new Date().toISOString() }, hlc: `h-${seq}` } as Mutation;
      const { results } = await post<PushResponse>(central, '/sync/push', { epoch, mutations: [mutation] }, credential);
      if (results[0]?.status !== 'applied') throw new Error(`issueTicket: ${JSON.stringify(results[0])}`);
      return ticketId;
    },
  };
}
