import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import type { EventData, RoleBridge, StationEvent, StationRole, SyncStatus } from '@hall/shared';
import type { LinkState, StationConnection } from './connect';

const StationContext = createContext<StationConnection | undefined>(undefined);

export function StationProvider({ connection, children }: { connection: StationConnection; children: ReactNode }) {
  return (
    <StationContext.Provider value={connection}>
      <UnauthorisedGate>{children}</UnauthorisedGate>
    </StationContext.Provider>
  );
}

/**
 * A page the station refused would otherwise wait for a link that never comes; every app
 * shows the same plain statement instead (both languages: nobody can switch language here).
 */
function UnauthorisedGate({ children }: { children: ReactNode }) {
  if (useLinkState() !== 'unauthorised') return <>{children}</>;
  return (
    <div role="alert" data-testid="station-unauthorised" style={UNAUTHORISED_STYLE}>
      <p lang="zh-CN" style={{ fontSize: '2.4rem', margin: 0 }}>此页面未获授权连接本机终端</p>
      <p lang="en" style={{ fontSize: '1.6rem', margin: 0 }}>This page is not authorised to drive this station</p>
      <p lang="zh-CN" style={{ fontSize: '1.1rem', margin: '2rem 0 0' }}>请使用终端启动时给出的完整地址打开本页。</p>
      <p lang="en" style={{ fontSize: '1.1rem', margin: 0 }}>Open the full address the station printed when it started.</p>
    </div>
  );
}

const UNAUTHORISED_STYLE = {
  position: 'fixed',
  inset: 0,
  zIndex: 2147483647,
  display: 'flex',
  flexDirection: 'column',
  alignItems: 'center',
  justifyContent: 'center',
  gap: '0.8rem',
  padding: '2rem',
  textAlign: 'center',
  background: '#1d2433',
  color: '#ffffff',
} as const;

export function useStation(): StationConnection {
  const connection = useContext(StationContext);
  if (!connection) throw new Error('useStation outside <StationProvider>');
  return connection;
}

/** A connection typed to one role's slice of the station contract (the common methods and the role's own). */
export type RoleConnection<R extends StationRole> = RoleBridge<R> & Omit<StationConnection, 'call' | 'on'>;

/** The station as one role's screens see it: a call to another role's method does not compile. */
export function useRoleStation<R extends StationRole>(): RoleConnection<R> {
  return useStation();
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
