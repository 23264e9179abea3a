import { sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where a station's own pages live. An http(s) renderer is one exact origin (the station's
 * loopback host); a file:// renderer has no usable origin (every file URL's origin is the
 * opaque "null"), so it is a directory instead, and a page is ours only inside it.
 */
export type AppOrigin = { readonly kind: 'http'; readonly origin: string } | { readonly kind: 'file'; readonly root: string };

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** A file URL's path on this machine, or undefined for remote (UNC) hosts and encoded separators. */
function localPath(url: URL): string | undefined {
  if (url.protocol !== 'file:' || (url.host !== '' && url.host !== 'localhost')) return undefined;
  try {
    return fileURLToPath(url);
  } catch {
    return undefined;
  }
}

/**
 * The app's origin from the URL of the page it starts on: the page's directory for
 * file://, the exact (normalized) origin for http(s). Throws for anything else, so a
 * misconfigured shell fails at start rather than trusting an opaque "null" origin.
 */
export function appOriginOf(startUrl: string): AppOrigin {
  const url = parse(startUrl);
  if (url?.protocol === 'http:' || url?.protocol === 'https:') return { kind: 'http', origin: url.origin };
  const path = url && localPath(url);
  if (path === undefined) throw new Error(`not an app start page: ${startUrl}`);
  return { kind: 'file', root: path.slice(0, path.lastIndexOf(sep)) };
}

/**
 * Whether a URL is one of the app's own pages. Origins are compared whole, as the URL
 * parser sees them, never by string prefix: "http://127.0.0.1:5174.evil.com" and
 * "http://127.0.0.1:5174@evil.com" start with the station's address but are other hosts.
 */
export function isAppUrl(candidate: string | undefined, app: AppOrigin): boolean {
  const url = candidate === undefined ? undefined : parse(candidate);
  if (!url) return false;
  if (app.kind === 'http') return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === app.origin;
  const path = localPath(url);
  return path !== undefined && path.startsWith(app.root + sep);
}
