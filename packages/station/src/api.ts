import {
  LocalRejection,
  STATION_API_VERSION,
  type CounterRuntime,
  type EventData,
  type Rejection,
  type StationApiHandlers,
  type StationEvent,
  type Ticket,
} from '@hall/shared';
import type { StationCore } from './core';
import type { SyncEngine } from './sync/engine';

/** A value the screen set that the station's own rules did not decide. */
function undecided(message: string): never {
  throw new LocalRejection('not_decided_by_station', message);
}

/** The station API of one station: the same handlers serve Electron IPC and the WebSocket host. */
export function stationApiHandlers(core: StationCore, sync: SyncEngine | undefined, rejections: () => Rejection[]): StationApiHandlers {
  const idle = {
    online: false,
    pending: core.store.outboxCounts().pending,
    rejected: 0,
    oldestPendingAgeSeconds: null,
    lastSyncAt: null,
    lastError: 'sync not started',
    cursor: core.store.cursor,
  };
  return {
    'station.info': () => ({
      deviceId: core.identity.deviceId,
      hallId: core.identity.hallId,
      role: core.identity.role,
      ...(core.identity.counterId ? { counterId: core.identity.counterId } : {}),
      apiVersion: STATION_API_VERSION,
    }),
    'sync.status': () => sync?.status() ?? idle,
    'sync.rejections': () => rejections(),
    'catalogue.get': () => core.store.catalogue ?? null,
    'queue.snapshot': () => {
      const catalogue = core.store.catalogue;
      const live = core.store.live.queue;
      const today = catalogue ? core.today() : undefined;
      return {
        tickets: Object.values(live.tickets).filter((t) => t.day === today),
        counters: (catalogue?.counters ?? []).map((counter) => ({
          counter,
          state: live.counters[counter.id]?.state ?? { status: 'closed' as const },
        })),
      };
    },
    // A station without the kiosk role's rules identifies nobody: a citizen, a priority group
    // or an appointment from the screen is not its to accept (the kiosk role decides them).
    'ticket.issue': (p) => {
      if (p.kind === 'appointment' || p.appointmentId !== undefined) undecided('appointment tickets come from an appointment check-in');
      if (p.citizen !== undefined || p.citizenHandle !== undefined) undecided('this station identified no citizen');
      if (p.priorityGroupId !== undefined) undecided('this station decided no priority group');
      return core.issueTicket({ serviceIds: p.serviceIds, kind: p.kind });
    },
    'case.submit': (p) => {
      const { citizenHandle, ...draft } = p;
      // A kiosk's case citizen comes from its own identification only (case.submit is a kiosk method).
      if (citizenHandle !== undefined || draft.citizen !== undefined) undecided('this station identified no citizen');
      return core.submitForm(draft);
    },
    'counter.open': () => core.counterCommand('openCounter'),
    'counter.pause': (p) => core.counterCommand('pauseCounter', p.reason),
    'counter.resume': () => core.counterCommand('resumeCounter'),
    'counter.callNext': () => core.callNext(),
    'counter.callSpecific': (p) => core.ticketCommand('callSpecific', p.ticketId),
    'counter.recall': (p) => core.ticketCommand('recall', p.ticketId),
    'counter.markMissed': (p) => core.ticketCommand('markMissed', p.ticketId),
    'counter.startServing': (p) => core.ticketCommand('startServing', p.ticketId),
    'counter.finish': (p) => core.ticketCommand('finish', p.ticketId),
    'counter.transfer': (p) =>
      core.transfer(p.ticketId, {
        ...(p.toQueueId === undefined ? {} : { toQueueId: p.toQueueId }),
        ...(p.toCounterId === undefined ? {} : { toCounterId: p.toCounterId }),
      }),
  };
}

export type EventSink = <E extends StationEvent>(event: E, data: EventData<E>) => void;

/** Turns live-state changes into the renderer's `queue.changed` event (after a local mutation, a pull or a rebase). */
export function forwardLiveChanges(core: StationCore, sink: EventSink): () => void {
  return core.store.onLiveChange((changes) => {
    const tickets: Ticket[] = [];
    const counterStates: { id: string; state: CounterRuntime['state'] }[] = [];
    for (const { change } of changes) {
      if (change.entity === 'ticket') {
        tickets.push(change.data);
      } else if (change.entity === 'counter') {
        counterStates.push({ id: change.id, state: change.data.state });
      }
    }
    if (tickets.length > 0 || counterStates.length > 0) sink('queue.changed', { tickets, counterStates });
  });
}
