import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { authenticate, bearerToken, webSocketProtocolToken } from '../http/auth';
import { unauthorized } from '../http/errors';
import { send } from '../ws/hub';

const ClientMessageSchema = z.discriminatedUnion('type', [z.object({ type: z.literal('ping') })]);

/** Messages larger than this are refused: the channel carries pokes, not data. */
const MAX_MESSAGE_BYTES = 4096;

/**
 * `/ws`: an authenticated channel over which the server pokes stations when their hall
 * changes. Authentication happens before the upgrade (Authorization header, or for
 * browsers the `hall.v1` + `bearer.<token>` subprotocols), so an unauthenticated client
 * gets a plain 401 and never a socket.
 */
export const wsRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.hall;
  app.get(
    '/ws',
    {
      websocket: true,
      preValidation: async (request) => {
        const principal = await authenticate(ctx, request, bearerToken(request) ?? webSocketProtocolToken(request));
        if (!principal) throw unauthorized();
      },
    },
    (socket, request) => {
      const principal = request.principal;
      if (!principal) {
        socket.close(1008, 'unauthenticated');
        return;
      }
      ctx.hub.add(principal.hallId, socket);
      send(socket, {
        type: 'hello',
        principal: { kind: principal.kind, id: principal.id, hallId: principal.hallId },
        serverTime: ctx.clock().toISOString(),
      });
      socket.on('message', (data, isBinary) => {
        const size = Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : (data as Buffer).byteLength;
        if (isBinary || size > MAX_MESSAGE_BYTES) {
          send(socket, { type: 'error', code: 'unsupported_message', message: 'text JSON messages up to 4 KiB only' });
          return;
        }
        let parsed: unknown;
        try {
          parsed = JSON.parse(data.toString());
        } catch {
          send(socket, { type: 'error', code: 'malformed_message', message: 'message is not JSON' });
          return;
        }
        const message = ClientMessageSchema.safeParse(parsed);
        if (!message.success) {
          send(socket, { type: 'error', code: 'unknown_message', message: 'expected {"type":"ping"}' });
          return;
        }
        send(socket, { type: 'pong', serverTime: ctx.clock().toISOString() });
      });
    },
  );
};
