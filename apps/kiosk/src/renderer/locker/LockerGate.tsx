import './locker.css';
import { useEffect, useState, type ReactNode } from 'react';
import { useRoleStation } from '@hall/ui';
import { LockerApp } from './LockerApp';

/**
 * The kiosk app serves two roles: a station configured as a locker gets the locker's
 * screens, any other gets `children` (the kiosk). Nothing shows until the station says
 * which it is, so a locker never flashes the ticket screens.
 */
export function LockerGate({ children }: { children: ReactNode }) {
  const station = useRoleStation<'locker'>();
  const [role, setRole] = useState<string>();
  useEffect(() => {
    let live = true;
    const ask = () =>
      station.call('station.info', {}).then(
        (info) => live && setRole(info.role),
        () => live && window.setTimeout(ask, 500),
      );
    void ask();
    return () => {
      live = false;
    };
  }, [station]);
  if (role === undefined) return null;
  return role === 'locker' ? <LockerApp /> : <>{children}</>;
}
