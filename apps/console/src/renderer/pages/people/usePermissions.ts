import { useEffect, useState } from 'react';
import { request, type StaffSession } from '../../api';

/**
 * The signed-in staff member's console permissions (configured roles, or the built-in
 * role's defaults), from the server: undefined until known, and after a failed read, so
 * the console falls back to the built-in pages and the server still refuses the rest.
 */
export function usePermissions(session: StaffSession | null): readonly string[] | undefined {
  const [permissions, setPermissions] = useState<readonly string[]>();
  useEffect(() => {
    setPermissions(undefined);
    if (!session) return;
    let live = true;
    request<{ permissions: string[] }>(session, 'GET', '/people/me')
      .then((me) => live && setPermissions(me.permissions))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [session]);
  return permissions;
}
