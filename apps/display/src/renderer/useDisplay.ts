import { useEffect, useState } from 'react';
import type { DisplayState } from '@hall/shared';
import { useLinkState, useRoleStation, useStationEvent } from '@hall/ui';

/** The wall's state: fetched on every (re)connect, then kept current by the `display.state` event. */
export function useDisplayState(): DisplayState | undefined {
  const station = useRoleStation<'display'>();
  const link = useLinkState();
  const [state, setState] = useState<DisplayState>();
  useStationEvent('display.state', setState);
  useEffect(() => {
    if (link !== 'open') return;
    let live = true;
    station.call('display.state', {}).then(
      (s) => live && setState(s),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [station, link]);
  return state;
}

/** The wall clock, ticking each second. */
export function useClock(): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 1000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/** Landscape or portrait, from the setting or the window's aspect ratio. */
export function useOrientation(setting: DisplayState['settings']['orientation'] | undefined): 'landscape' | 'portrait' {
  const pick = () => (window.innerHeight > window.innerWidth ? 'portrait' : 'landscape');
  const [auto, setAuto] = useState<'landscape' | 'portrait'>(pick);
  useEffect(() => {
    const onResize = () => setAuto(pick());
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);
  return setting === 'landscape' || setting === 'portrait' ? setting : auto;
}
