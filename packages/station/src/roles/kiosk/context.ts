import { localDay, type Catalogue, type EventData, type PriorityGroup, type StationEvent, type Ticket } from '@hall/shared';
import type { StationCore } from '../../core';
import { StationApiError } from '../../host/dispatch';
import { LocalRejection } from '../../store/store';

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
    if (!catalogue) throw new StationApiError({ code: 'unavailable', message: 'no catalogue' });
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

/** The core's refusal as the station API's `rejected`, with its code; anything else as it was. */
export function screenError(error: unknown): unknown {
  return error instanceof LocalRejection ? new StationApiError({ code: 'rejected', reason: error.code, message: error.message }) : error;
}

/** Runs a local intent; the core's refusal reaches the screen as the station API's `rejected`. */
export function rejectedOnScreen<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw screenError(error);
  }
}
