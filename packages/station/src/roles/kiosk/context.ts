import { localDay, type Catalogue, type EventData, type PriorityGroup, type StationEvent, type Ticket, StationCallError } from '@hall/shared';
import type { StationCore } from '../../core';

export type KioskEmit = <E extends StationEvent>(event: E, data: EventData<E>) => void;

/** What every concern of the kiosk role reads: the core, the clock and the hall's catalogue as held now. */
export class KioskContext {
  constructor(
    readonly core: StationCore,
    readonly emit: KioskEmit,
    readonly now: () => number,
    /** Whether the station reaches the central API right now (a submission says "queued" otherwise). */
    readonly online: () => boolean,
  ) {}

  catalogue(): Catalogue | undefined {
    return this.core.store.catalogue;
  }

  /** The catalogue, or the station API's `unavailable` when none was downloaded yet. */
  requireCatalogue(): Catalogue {
    const catalogue = this.catalogue();
    if (!catalogue) throw new StationCallError({ code: 'unavailable', message: 'no catalogue' });
    return catalogue;
  }

  /** Today in the hall's zone (Shanghai until the catalogue says otherwise). */
  today(): string {
    return localDay(this.now(), this.catalogue()?.hall.timeZone ?? 'Asia/Shanghai');
  }

  /** The hall's priority groups by its current calling rules. */
  priorityGroups(): readonly PriorityGroup[] {
    return this.catalogue()?.callingRules.priorityGroups ?? [];
  }

  /** Every ticket of the hall's live queue. */
  tickets(): Ticket[] {
    return Object.values(this.core.store.live.queue.tickets);
  }
}
