import type { CallingRules, Counter, Queue, Service } from '../domain/index';
import type { Instant } from './clock';
import type { TicketIndex } from './ticketIndex';

/** The hall's configuration the engine reads; it changes by administration, not by events. */
export interface QueueSetup {
  hallId: string;
  /** IANA zone of the hall (Hall.timeZone): days and appointment slots are local. */
  timeZone: string;
  queues: readonly Pick<Queue, 'id' | 'prefix' | 'consultationPrefix' | 'serviceIds' | 'kinds' | 'numberDigits'>[];
  counters: readonly Pick<Counter, 'id' | 'number' | 'services' | 'queueIds'>[];
  services: readonly Pick<Service, 'id' | 'queueId' | 'dailyCap'>[];
}

export interface QueueContext {
  now: Instant;
  rules: CallingRules;
  setup: QueueSetup;
  /** An index of the state's tickets its holder keeps current; the engine scans without one. */
  index?: TicketIndex;
}

export type SetupCounter = QueueSetup['counters'][number];
export type SetupQueue = QueueSetup['queues'][number];

export function findCounter(setup: QueueSetup, counterId: string): SetupCounter | undefined {
  return setup.counters.find((c) => c.id === counterId);
}

export function findQueue(setup: QueueSetup, queueId: string): SetupQueue | undefined {
  return setup.queues.find((q) => q.id === queueId);
}

/** A queue takes a service it lists or one that names it as its queue. */
export function queueOffersService(setup: Pick<QueueSetup, 'services'>, queue: Pick<SetupQueue, 'id' | 'serviceIds'>, serviceId: string): boolean {
  const service = setup.services.find((s) => s.id === serviceId);
  return service !== undefined && (queue.serviceIds.includes(serviceId) || service.queueId === queue.id);
}
