import { isAppUrl, type AppOrigin } from './origin';

/** What one app's pages may be granted; everything else is refused. */
export interface PermissionNeeds {
  /** Camera only, microphone only or both; absent means no media at all. */
  readonly media?: readonly ('video' | 'audio')[];
}

export interface PermissionQuery {
  readonly permission: string;
  /** The page (request) or origin (check) asking; unknown means refuse. */
  readonly requestingUrl: string | undefined;
  /** For a media request, what it wants; a check carries none. */
  readonly mediaTypes?: readonly string[];
}

/**
 * Default deny: a permission is granted only if the app declared it and the asker is one
 * of the app's own pages, so a page that got in by some other way gets nothing. A media
 * request is granted only for the kinds declared (a camera app gets no microphone).
 */
export function decidePermission(query: PermissionQuery, app: AppOrigin, needs: PermissionNeeds): boolean {
  if (!isAppUrl(query.requestingUrl, app)) return false;
  if (query.permission !== 'media' || !needs.media || needs.media.length === 0) return false;
  const allowed: readonly string[] = needs.media;
  return (query.mediaTypes ?? []).every((type) => allowed.includes(type));
}
