/** Extra sources one app's renderer needs beyond 'self' (each a CSP source expression). */
export interface CspNeeds {
  readonly img?: readonly string[];
  readonly media?: readonly string[];
  readonly font?: readonly string[];
  readonly frame?: readonly string[];
  /** Chromium's PDF viewer counts as a plugin, so a blob: PDF preview needs object-src blob:. */
  readonly object?: readonly string[];
}

/** Anything a renderer could use to name a source other than its own: whitespace or ; would inject a directive. */
const SAFE_SOURCE = /^(?:'(?:self|none|unsafe-inline)'|[a-z][a-z0-9+.-]*:(?:\/\/[a-z0-9.[\]:-]+)?)$/;

function sources(list: readonly string[]): string {
  for (const source of list) if (!SAFE_SOURCE.test(source)) throw new Error(`not a CSP source: ${JSON.stringify(source)}`);
  return list.length === 0 ? "'none'" : list.join(' ');
}

/**
 * The Content-Security-Policy every station window gets. connect-src names only the
 * station's own addresses (none for an IPC renderer), so injected script cannot send
 * what it reads to any other host; scripts come only from the app itself.
 */
export function buildCsp(stationAddresses: readonly string[], needs: CspNeeds = {}): string {
  const connect = stationAddresses.map((address) => {
    const url = new URL(address);
    if (!['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol)) throw new Error(`not a station address: ${address}`);
    return url.origin;
  });
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    `img-src ${sources(["'self'", ...(needs.img ?? [])])}`,
    `media-src ${sources(needs.media ?? [])}`,
    `font-src ${sources(["'self'", ...(needs.font ?? [])])}`,
    `connect-src ${sources(connect.length === 0 ? [] : ["'self'", ...new Set(connect)])}`,
    `frame-src ${sources(needs.frame ?? [])}`,
    `object-src ${sources(needs.object ?? [])}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The station's WebSocket twin of its http origin: the page's live connection goes there. */
export function stationAddressesOf(httpOrigin: string): string[] {
  const url = new URL(httpOrigin);
  const ws = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return [url.origin, `${ws}//${url.host}`];
}
