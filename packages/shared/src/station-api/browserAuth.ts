/**
 * Browser mode's trust handshake between a station page and its station host. The host
 * makes a token per launch (or takes a configured one) and hands it out only inside the
 * page URL it prints; the page offers it when it opens the station socket.
 */

/** Where the station API is served on the host (a WebSocket upgrade). */
export const STATION_API_PATH = '/station-api';

/** Subprotocol the page offers and the host selects; the token rides next to it. */
export const STATION_WS_PROTOCOL = 'hall.station.v1';

/**
 * Browsers cannot set headers on a WebSocket, so the token goes as a second subprotocol
 * `token.<base64url>` (the central API does the same with `bearer.`): unlike a query
 * parameter it never appears in a URL, a proxy log or a Referer.
 */
export const STATION_TOKEN_PROTOCOL_PREFIX = 'token.';

/** Close code the host ends a socket with when the token is missing or wrong (4000-4999: application codes). */
export const STATION_UNAUTHORISED_CLOSE_CODE = 4401;

/** Matches a station token: base64url of at least 128 bits (22 characters). */
export const STATION_TOKEN_PATTERN = /^[A-Za-z0-9_-]{22,}$/;

/**
 * The page URL carrying the token in the fragment: browsers never send a fragment to the
 * server, so it stays out of request lines, access logs and Referer headers.
 */
export function stationPageUrl(origin: string, token: string, path = '/'): string {
  return `${origin}${path}#token=${token}`;
}

/** The token from a page's `location.hash` (`#token=…`), if it carries one. */
export function tokenFromFragment(hash: string): string | undefined {
  // Parsed by hand: shared code has neither the DOM's nor Node's URLSearchParams.
  for (const part of hash.replace(/^#/, '').split('&')) {
    const [key, value] = part.split('=', 2);
    if (key === 'token' && value !== undefined && STATION_TOKEN_PATTERN.test(value)) return value;
  }
  return undefined;
}
