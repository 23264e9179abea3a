import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { networkInterfaces } from 'node:os';
import { STATION_TOKEN_PROTOCOL_PREFIX } from '@hall/shared';

/** A fresh station token: 256 random bits, base64url (valid in a URL fragment and a subprotocol). */
export function newStationToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Constant-time comparison: both sides are hashed first so neither the content nor the
 * length of the expected token leaks through how long a refusal takes.
 */
export function tokenMatches(expected: string, offered: string | undefined): boolean {
  if (offered === undefined) return false;
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(expected), digest(offered));
}

/** The token a page offered as a `token.<…>` subprotocol on the upgrade request. */
export function offeredToken(req: IncomingMessage): string | undefined {
  const header = req.headers['sec-websocket-protocol'];
  if (typeof header !== 'string') return undefined;
  const offered = header.split(',').map((p) => p.trim());
  return offered.find((p) => p.startsWith(STATION_TOKEN_PROTOCOL_PREFIX))?.slice(STATION_TOKEN_PROTOCOL_PREFIX.length) || undefined;
}

const WILDCARD_BINDS = new Set(['0.0.0.0', '::', '']);

export function isLoopbackBind(bind: string): boolean {
  return bind === 'localhost' || bind === '::1' || /^(::ffff:)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bind);
}

/**
 * A station reachable from other hosts is a deliberate deployment decision, so the config
 * has to say so; a typo'd or copied bind address must not open the station to the LAN.
 */
export function assertBindAllowed(bind: string, allowRemote: boolean): void {
  if (isLoopbackBind(bind) || allowRemote) return;
  throw new Error(
    `the station host refuses to bind ${bind}: it is not a loopback address. ` +
      'Set "host": { "allowRemote": true } in the station config to serve the station to other hosts (the page still needs the station token).',
  );
}

function originFor(address: string, port: number): string {
  return `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
}

/**
 * Origins a station page can have: this host's own addresses only, never a name the
 * request chose (a DNS-rebinding page would bring its own Host header along).
 */
export function ownOrigins(bind: string, port: number): string[] {
  const addresses = new Set(['127.0.0.1', 'localhost', '::1', bind]);
  if (WILDCARD_BINDS.has(bind)) {
    for (const list of Object.values(networkInterfaces())) for (const info of list ?? []) addresses.add(info.address);
  }
  return [...addresses].filter((a) => a !== '').map((a) => originFor(a, port));
}
