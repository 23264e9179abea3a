import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import type { EventData, StationEvent, SyncStatus } from '@hall/shared';
import type { LinkState, StationConnection } from './connect';

const StationContext = createContext<StationConnection | undefined>(undefined);

export function StationProvider({ connection, children }: { connection: StationConnection; children: ReactNode }) {
  return <StationContext.Provider value={connection}>{children}</StationContext.Provider>;
}

export function useStation(): StationConnection {
  const connection = useContext(StationContext);
  if (!connection) throw new Error('useStation outside <StationProvider>');
  return connection;
}

/** Subscribes for the component's lifetime; the latest listener is used without resubscribing. */
export function useStationEvent<E extends StationEvent>(event: E, listener: (data: EventData<E>) => void): void {
  const station = useStation();
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => station.on(event, (data) => latest.current(data)), [station, event]);
}

export function useLinkState(): LinkState {
  const station = useStation();
  const [state, setState] = useState<LinkState>(station.state);
  useEffect(() => {
    setState(station.state);
    return station.onState(setState);
  }, [station]);
  return state;
}

/**
 * The station's sync status (online, pending count), fetched on mount and on every
 * reconnect, then kept current by the `sync.status` event.
 */
export function useSyncStatus(): { status: SyncStatus | undefined; link: LinkState } {
  const station = useStation();
  const link = useLinkState();
  const [status, setStatus] = useState<SyncStatus>();
  useStationEvent('sync.status', setStatus);
  useEffect(() => {
    if (link !== 'open') return;
    let live = true;
    station.call('sync.status', {}).then(
      (s) => live && setStatus(s),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [station, link]);
  return { status, link };
}
