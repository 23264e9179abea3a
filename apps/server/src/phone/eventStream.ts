import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../http/errors';

/** Proxies close idle streams; a comment line now and then keeps a stream open. */
const HEARTBEAT_MS = 20_000;

/**
 * One page kind's open server-sent-event streams (follow, track): capped per API instance,
 * and ended before the server closes, since open streams would hold its close forever;
 * phones reconnect elsewhere by themselves (EventSource).
 */
export class EventStreams {
  readonly #open = new Set<() => void>();

  constructor(
    private readonly max: number,
    private readonly busyMessage: string,
  ) {}

  get size(): number {
    return this.#open.size;
  }

  closeAll(): void {
    for (const end of [...this.#open]) end();
  }

  /** Answers with an event stream; `subscribe` starts sending and returns its unsubscribe. */
  async serve<T>(request: FastifyRequest, reply: FastifyReply, subscribe: (send: (update: T) => void) => Promise<() => void>): Promise<void> {
    if (this.#open.size >= this.max) throw new ApiError(503, 'busy', this.busyMessage);
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    raw.write('retry: 2000\n\n');
    let open = true;
    const unsubscribe = await subscribe((update) => {
      if (open) raw.write(`data: ${JSON.stringify(update)}\n\n`);
    });
    const heartbeat = setInterval(() => raw.write(': still here\n\n'), HEARTBEAT_MS);
    const end = () => {
      if (!open) return;
      open = false;
      clearInterval(heartbeat);
      unsubscribe();
      this.#open.delete(end);
      raw.end();
    };
    this.#open.add(end);
    request.raw.once('close', end);
    raw.once('close', end);
    if (request.raw.destroyed) end();
  }
}
