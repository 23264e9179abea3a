import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  STATION_EVENTS,
  type EventData,
  type StationApiHandlers,
  type StationEvent,
  type StationRole,
} from '@hall/shared';
import { dispatchRequest } from './dispatch';
import { serveStatic } from './static';

export const STATION_API_PATH = '/station-api';

export interface StationHostOptions {
  role: StationRole;
  handlers: StationApiHandlers;
  /** Built renderer directory; without it only the API is served. */
  rendererDir?: string;
  /** 127.0.0.1 unless the station is deliberately shared on the LAN. */
  bind?: string;
  port?: number;
  /** Origins allowed besides the host's own (e.g. a Vite dev server). */
  extraOrigins?: readonly string[];
}

export interface StationHost {
  url: string;
  port: number;
  emit<E extends StationEvent>(event: E, data: EventData<E>): void;
  close(): Promise<void>;
}

const MAX_MESSAGE_BYTES = 1024 * 1024;

/**
 * Browser mode: serves the renderer and the station API over one local port. The
 * WebSocket accepts only pages served by this host (Origin check), so a web page the
 * kiosk's browser might open elsewhere cannot drive the station.
 */
export async function startStationHost(options: StationHostOptions): Promise<StationHost> {
  const bind = options.bind ?? '127.0.0.1';
  const sockets = new Set<WebSocket>();
  const server = createServer((req, res) => {
    if (options.rendererDir) serveStatic(options.rendererDir, req, res);
    else res.writeHead(404).end('no renderer configured');
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, bind, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const hostForUrl = bind.includes(':') ? `[${bind}]` : bind;
  const url = `http://${hostForUrl}:${port}`;
  const allowed = new Set([url, `http://localhost:${port}`, `http://127.0.0.1:${port}`, ...(options.extraOrigins ?? [])]);

  const originAllowed = (req: IncomingMessage) => typeof req.headers.origin === 'string' && allowed.has(req.headers.origin);

  server.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://local').pathname;
    if (path !== STATION_API_PATH || !originAllowed(req)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
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

  return {
    url,
    port,
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
