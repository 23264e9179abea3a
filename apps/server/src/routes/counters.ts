import type { Kysely } from 'kysely';
import { CounterSchema, type Counter } from '@hall/shared';
import type { Database } from '../db/schema';
import { ApiError, unknownReference } from '../http/errors';
import { hallOfService } from '../store/catalogue';
import { getDepartment, getHall } from '../store/halls';
import { getCounter, getQueue, insertCounter, listCounters, updateCounter } from '../store/layout';
import { hallResourceRoutes } from './hallResource';

/** Everything a counter names must exist in the counter's own hall. */
async function checkCounter(db: Kysely<Database>, counter: Counter): Promise<void> {
  if (!(await getHall(db, counter.hallId))) throw unknownReference(`hall ${counter.hallId} does not exist`);
  if (counter.departmentId) {
    const department = await getDepartment(db, counter.departmentId);
    if (department?.hallId !== counter.hallId) throw unknownReference(`department ${counter.departmentId} is not in hall ${counter.hallId}`);
  }
  const seen = new Set<string>();
  for (const { serviceId } of counter.services) {
    if (seen.has(serviceId)) throw new ApiError(400, 'invalid_request', `service ${serviceId} is listed twice`);
    seen.add(serviceId);
    if ((await hallOfService(db, serviceId)) !== counter.hallId) {
      throw unknownReference(`service ${serviceId} is not in hall ${counter.hallId}`);
    }
  }
  for (const queueId of counter.queueIds) {
    if ((await getQueue(db, queueId))?.hallId !== counter.hallId) throw unknownReference(`queue ${queueId} is not in hall ${counter.hallId}`);
  }
}

/** 窗口: number, services with priorities, queues it calls from; state comes with reads. */
export const counterRoutes = hallResourceRoutes<Counter>({
  name: 'counter',
  plural: 'counters',
  schema: CounterSchema,
  editors: ['hall_manager'],
  list: listCounters,
  get: getCounter,
  insert: insertCounter,
  update: updateCounter,
  check: checkCounter,
});
