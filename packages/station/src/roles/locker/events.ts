import { randomUUID } from 'node:crypto';
import type { LockerEvent } from '@hall/shared';
import type { LockerRepository } from './repository';

/** A locker event before the outbox stamps its id and time. */
export type LockerEventDraft = LockerEvent extends infer E ? (E extends LockerEvent ? Omit<E, 'id' | 'at'> : never) : never;

/**
 * The locker's events for the central API (deposited, picked up, returned, flagged …), held
 * until the server link has them acknowledged.
 */
export class LockerEventOutbox {
  constructor(
    private readonly repo: LockerRepository,
    private readonly at: () => string,
    /** Told (after the current task) that a new event waits. */
    private readonly onEnqueued: () => void,
  ) {}

  /** Stamps and stores an event; inside the caller's transaction when it has one. */
  enqueue(event: LockerEventDraft): void {
    const full = { ...event, id: randomUUID(), at: this.at() } as LockerEvent;
    this.repo.appendEvent(full);
    queueMicrotask(this.onEnqueued);
  }

  pending(limit: number): LockerEvent[] {
    return this.repo.unsentEvents(limit);
  }

  pendingCount(): number {
    return this.repo.unsentCount();
  }

  /** Acknowledged events are kept (as history) with the pickup code scrubbed: the station keeps only its hash. */
  markSent(ids: readonly string[]): void {
    const at = this.at();
    this.repo.transaction(() => {
      for (const id of ids) {
        const event = this.repo.event(id) as Record<string, unknown> | undefined;
        if (!event) continue;
        delete event.pickupCode;
        if (event.delegatedCode !== undefined) {
          delete event.delegatedCode;
          this.repo.forgetDelegatedCode(event.parcelId as string);
        }
        this.repo.markEventSent(id, event, at);
      }
    });
  }

  event(id: string): LockerEvent | undefined {
    return this.repo.event(id);
  }
}
