import type { Kysely } from 'kysely';
import { z } from 'zod';
import {
  CounterSchema,
  CounterStateSchema,
  IdSchema,
  QueueSchema,
  TicketKindSchema,
  type Counter,
  type CounterState,
  type Queue,
} from '@hall/shared';
import type { CounterTable, Database, QueueTable } from '../db/schema';
import { decodeJson, encodeJson, localized, orNull } from '../db/json';

const IdListSchema = z.array(IdSchema);
const KindListSchema = z.array(TicketKindSchema);

/** A counter as the API shows it: its configuration plus its live state. */
export type CounterView = Counter & { state: CounterState };

function counterFromRow(row: CounterTable, services: { service_id: string; priority: number }[]): CounterView {
  const counter: CounterView = {
    id: row.id,
    hallId: row.hall_id,
    number: row.number,
    name: localized(row.name_zh, row.name_en),
    kind: CounterSchema.shape.kind.parse(row.kind),
    services: services.map((s) => ({ serviceId: s.service_id, priority: s.priority })),
    queueIds: decodeJson(IdListSchema, row.queue_ids_json, `counter ${row.id} queues`),
    state: decodeJson(CounterStateSchema, row.state_json, `counter ${row.id} state`),
  };
  if (row.department_id !== null) counter.departmentId = row.department_id;
  return counter;
}

async function servicesOf(db: Kysely<Database>, counterIds: string[]) {
  if (counterIds.length === 0) return new Map<string, { service_id: string; priority: number }[]>();
  const rows = await db
    .selectFrom('counter_services')
    .selectAll()
    .where('counter_id', 'in', counterIds)
    .orderBy('priority')
    .orderBy('service_id')
    .execute();
  const byCounter = new Map<string, { service_id: string; priority: number }[]>();
  for (const row of rows) {
    const list = byCounter.get(row.counter_id) ?? [];
    list.push(row);
    byCounter.set(row.counter_id, list);
  }
  return byCounter;
}

export async function listCounters(db: Kysely<Database>, hallId: string): Promise<CounterView[]> {
  const rows = await db.selectFrom('counters').selectAll().where('hall_id', '=', hallId).orderBy('number').execute();
  const services = await servicesOf(db, rows.map((r) => r.id));
  return rows.map((row) => counterFromRow(row, services.get(row.id) ?? []));
}

export async function getCounter(db: Kysely<Database>, id: string): Promise<CounterView | undefined> {
  const row = await db.selectFrom('counters').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const services = await servicesOf(db, [row.id]);
  return counterFromRow(row, services.get(row.id) ?? []);
}

function counterValues(input: Counter, at: Date) {
  const counter = CounterSchema.parse(input);
  return {
    hall_id: counter.hallId,
    department_id: orNull(counter.departmentId),
    number: counter.number,
    name_zh: counter.name.zh,
    name_en: counter.name.en ?? null,
    kind: counter.kind,
    queue_ids_json: encodeJson(IdListSchema, counter.queueIds),
    updated_at: at.toISOString(),
  };
}

async function replaceCounterServices(db: Kysely<Database>, counter: Counter): Promise<void> {
  await db.deleteFrom('counter_services').where('counter_id', '=', counter.id).execute();
  if (counter.services.length === 0) return;
  await db
    .insertInto('counter_services')
    .values(counter.services.map((s) => ({ counter_id: counter.id, service_id: s.serviceId, priority: s.priority })))
    .execute();
}

/** New counters start closed; their state changes through the queue engine, not here. */
export async function insertCounter(db: Kysely<Database>, counter: Counter, at: Date): Promise<void> {
  await db
    .insertInto('counters')
    .values({ id: counter.id, ...counterValues(counter, at), state_json: encodeJson(CounterStateSchema, { status: 'closed' }) })
    .execute();
  await replaceCounterServices(db, counter);
}

export async function updateCounter(db: Kysely<Database>, counter: Counter, at: Date): Promise<boolean> {
  const result = await db.updateTable('counters').set(counterValues(counter, at)).where('id', '=', counter.id).executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) return false;
  await replaceCounterServices(db, counter);
  return true;
}

function queueFromRow(row: QueueTable): Queue {
  return {
    id: row.id,
    hallId: row.hall_id,
    prefix: row.prefix,
    ...(row.consultation_prefix === null ? {} : { consultationPrefix: row.consultation_prefix }),
    name: localized(row.name_zh, row.name_en),
    serviceIds: decodeJson(IdListSchema, row.service_ids_json, `queue ${row.id} services`),
    kinds: decodeJson(KindListSchema, row.kinds_json, `queue ${row.id} kinds`),
    numberDigits: row.number_digits,
  };
}

function queueValues(input: Queue, at: Date) {
  const queue = QueueSchema.parse(input);
  return {
    hall_id: queue.hallId,
    prefix: queue.prefix,
    consultation_prefix: queue.consultationPrefix ?? null,
    name_zh: queue.name.zh,
    name_en: queue.name.en ?? null,
    service_ids_json: encodeJson(IdListSchema, queue.serviceIds),
    kinds_json: encodeJson(KindListSchema, queue.kinds),
    number_digits: queue.numberDigits,
    updated_at: at.toISOString(),
  };
}

export async function listQueues(db: Kysely<Database>, hallId: string): Promise<Queue[]> {
  const rows = await db.selectFrom('queues').selectAll().where('hall_id', '=', hallId).orderBy('prefix').execute();
  return rows.map(queueFromRow);
}

export async function getQueue(db: Kysely<Database>, id: string): Promise<Queue | undefined> {
  const row = await db.selectFrom('queues').selectAll().where('id', '=', id).executeTakeFirst();
  return row && queueFromRow(row);
}

export async function insertQueue(db: Kysely<Database>, queue: Queue, at: Date): Promise<void> {
  const { consultation_prefix: consultationPrefix, ...values } = queueValues(queue, at);
  // Left out when unset, so a hall seeded into a database older than the column still inserts (a stats migration test seeds at 0904).
  await db.insertInto('queues').values({ id: queue.id, ...values, ...(consultationPrefix === null ? {} : { consultation_prefix: consultationPrefix }) }).execute();
}

export async function updateQueue(db: Kysely<Database>, queue: Queue, at: Date): Promise<boolean> {
  const result = await db.updateTable('queues').set(queueValues(queue, at)).where('id', '=', queue.id).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
