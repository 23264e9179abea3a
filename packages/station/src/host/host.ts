import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  STATION_API_PATH,
  STATION_EVENTS,
  STATION_UNAUTHORISED_CLOSE_CODE,
  STATION_WS_PROTOCOL,
  stationPageUrl,
  type EventData,
  type StationApiHandlers,
  type StationEvent,
  type StationRole,
} from '@hall/shared';
import { assertBindAllowed, newStationToken, offeredToken, ownOrigins, tokenMatches } from './access';
import { dispatchRequest } from './dispatch';
import { serveStatic } from './static';

export { STATION_API_PATH };

export interface StationHostOptions {
  role: StationRole;
  handlers: StationApiHandlers;
  /** Built renderer directory; without it only the API is served. */
  rendererDir?: string;
  /** 127.0.0.1 unless the station is deliberately shared on the LAN (then allowRemote). */
  bind?: string;
  /** Required for a bind that is not loopback: serving the station to other hosts is explicit. */
  allowRemote?: boolean;
  port?: number;
  /** Origins allowed besides the host's own (e.g. a Vite dev server). */
  extraOrigins?: readonly string[];
  /** A stable token (kiosk Chromium started by a system service); by default a fresh one per launch. */
  token?: string;
}

export interface StationHost {
  /** The page to open: the renderer's root with the station token in the fragment. */
  url: string;
  /** scheme://host:port without the token (what the page's Origin is). */
  origin: string;
  port: number;
  /** A page of the renderer (e.g. '/rating') with the token, for a browser to open. */
  pageUrl(path?: string): string;
  emit<E extends StationEvent>(event: E, data: EventData<E>): void;
  close(): Promise<void>;
}

const MAX_MESSAGE_BYTES = 1024 * 1024;
const UNAUTHORISED_REASON = 'station token missing or wrong';

/**
 * Browser mode: serves the renderer and the station API over one local port. Static files
 * are public (they hold no data); the WebSocket that reads and drives the station needs
 * both an Origin of this host (so another web page, or a DNS-rebinding one, cannot use
 * the kiosk's browser against it) and the launch token (so another host cannot either).
 */
export async function startStationHost(options: StationHostOptions): Promise<StationHost> {
  const bind = options.bind ?? '127.0.0.1';
  assertBindAllowed(bind, options.allowRemote ?? false);
  const token = options.token ?? newStationToken();
  const sockets = new Set<WebSocket>();
  const server = createServer((req, res) => {
    if (options.rendererDir) serveStatic(options.rendererDir, req, res);
    else res.writeHead(404).end('no renderer configured');
  });
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_MESSAGE_BYTES,
    // Select our protocol, never echo the token one back.
    handleProtocols: (offered) => (offered.has(STATION_WS_PROTOCOL) ? STATION_WS_PROTOCOL : false),
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, bind, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://${bind.includes(':') ? `[${bind}]` : bind}:${port}`;
  const allowed = new Set([...ownOrigins(bind, port), ...(options.extraOrigins ?? [])]);

  server.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://local').pathname;
    if (path !== STATION_API_PATH || typeof req.headers.origin !== 'string' || !allowed.has(req.headers.origin)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    const authorised = tokenMatches(token, offeredToken(req));
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (!authorised) {
        // The handshake completes only so the page can read why (a refused upgrade looks
        // like a network error to a browser); nothing the socket sends is ever read.
        ws.close(STATION_UNAUTHORISED_CLOSE_CODE, UNAUTHORISED_REASON);
        return;
      }
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', (data, isBinary) => {
        if (isBinary) return;
        let raw: unknown;
        try {
          raw = JSON.parse(data.toString());
        } catch {
          return;
        }
        void dispatchRequest(raw, options.role, options.handlers).then((response) => {
          if (response && ws.readyState === ws.OPEN) ws.send(JSON.stringify(response));
        });
      });
    });
  });

  const pageUrl = (path = '/') => stationPageUrl(origin, token, path);
  return {
    url: pageUrl(),
    origin,
    port,
    pageUrl,
    emit(event, data) {
      const checked = STATION_EVENTS[event].safeParse(data);
      if (!checked.success) throw new Error(`station event ${event} does not match its schema`);
      const text = JSON.stringify({ type: 'event', event, data: checked.data });
      for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(text);
    },
    async close() {
      for (const ws of sockets) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
