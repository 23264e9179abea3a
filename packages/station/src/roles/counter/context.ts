import type { Case, Catalogue, Service, Ticket } from '@hall/shared';
import type { StationCore } from '../../core';
import { LocalRejection } from '../../store/store';
import type { CounterRepository } from './repository';

/**
 * What every counter concern works with: the station core, counter.db's repository and the
 * counter's clock, and the look-ups in the live state and catalogue with the refusal the
 * clerk sees when something is not there.
 */
export class CounterContext {
  constructor(
    readonly core: StationCore,
    readonly repository: CounterRepository,
    readonly now: () => number,
  ) {}

  /** Now as the ISO instant stored in counter.db and mutations. */
  at(): string {
    return new Date(this.now()).toISOString();
  }

  catalogue(): Catalogue {
    const catalogue = this.core.store.catalogue;
    if (!catalogue) throw new LocalRejection('no_catalogue', 'the hall catalogue has not been downloaded yet');
    return catalogue;
  }

  service(id: string): Service {
    const service = this.catalogue().services.find((s) => s.id === id);
    if (!service) throw new LocalRejection('unknown_service', `service ${id} does not exist`);
    return service;
  }

  ticket(id: string): Ticket {
    const ticket = this.core.store.live.queue.tickets[id];
    if (!ticket) throw new LocalRejection('unknown_ticket', `ticket ${id} is not known here`);
    return ticket;
  }

  kase(id: string): Case {
    const kase = this.core.store.live.cases[id];
    if (!kase) throw new LocalRejection('unknown_case', `case ${id} is not known here`);
    return kase;
  }
}
