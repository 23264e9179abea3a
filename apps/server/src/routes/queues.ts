import type { Kysely } from 'kysely';
import { clashingPrefixes, QueueSchema, type Queue } from '@hall/shared';
import type { Database } from '../db/schema';
import { conflict, unknownReference } from '../http/errors';
import { hallOfService } from '../store/catalogue';
import { getHall } from '../store/halls';
import { getQueue, insertQueue, listQueues, updateQueue } from '../store/layout';
import { hallResourceRoutes } from './hallResource';

async function checkQueue(db: Kysely<Database>, queue: Queue): Promise<void> {
  if (!(await getHall(db, queue.hallId))) throw unknownReference(`hall ${queue.hallId} does not exist`);
  for (const serviceId of queue.serviceIds) {
    if ((await hallOfService(db, serviceId)) !== queue.hallId) throw unknownReference(`service ${serviceId} is not in hall ${queue.hallId}`);
  }
  // Ticket numbers are unique per hall and day: a letter two queues share would number the same ticket twice.
  const others = (await listQueues(db, queue.hallId)).filter((q) => q.id !== queue.id);
  const clashes = clashingPrefixes([...others, queue]);
  if (clashes.length > 0) throw conflict(`ticket letter ${clashes.join(', ')} is already used by another queue or its consultation tickets`);
}

/** Queues: prefix letter, consultation letter, services, ticket kinds. Letters are unique per hall (409 otherwise). */
export const queueRoutes = hallResourceRoutes<Queue>({
  name: 'queue',
  plural: 'queues',
  schema: QueueSchema,
  editors: ['hall_manager'],
  list: listQueues,
  get: getQueue,
  insert: insertQueue,
  update: updateQueue,
  check: checkQueue,
});
