import type { WebSocket } from 'ws';

/** Messages the server sends over /api/v1/ws; the sync issue adds its own kinds. */
export type ServerMessage =
  | { type: 'hello'; principal: { kind: string; id: string; hallId: string | null }; serverTime: string }
  | { type: 'pong'; serverTime: string }
  | { type: 'poke'; hallId: string; topic: string; at: string }
  | { type: 'error'; code: string; message: string };

const ALL_HALLS = '*';

/** Carries pokes to the other API instances sharing this database (see pgRelay.ts). */
export interface PokeRelay {
  publish(hallId: string, topic: string, at: Date): void;
  close(): Promise<void>;
}

/**
 * Who is connected, by hall. City-level principals (no hall) hear every hall. Only
 * counts and pokes live here: no state a reconnect would need to rebuild.
 */
export class HallHub {
  readonly #byHall = new Map<string, Set<WebSocket>>();
  readonly #listeners: ((hallId: string, topic: string) => void)[] = [];
  #relay: PokeRelay | undefined;

  /** Server-side caches that must drop a hall's entry when it changes, on any instance. */
  onPoke(listener: (hallId: string, topic: string) => void): void {
    this.#listeners.push(listener);
  }

  /** From now on every poke is also published to the other instances. */
  setRelay(relay: PokeRelay): void {
    this.#relay = relay;
  }

  add(hallId: string | null, socket: WebSocket): void {
    const key = hallId ?? ALL_HALLS;
    const set = this.#byHall.get(key) ?? new Set<WebSocket>();
    set.add(socket);
    this.#byHall.set(key, set);
    socket.once('close', () => {
      set.delete(socket);
      if (set.size === 0 && this.#byHall.get(key) === set) this.#byHall.delete(key);
    });
  }

  connectionCount(hallId?: string): number {
    if (hallId === undefined) return [...this.#byHall.values()].reduce((n, set) => n + set.size, 0);
    return this.#byHall.get(hallId)?.size ?? 0;
  }

  /** Tells a hall's stations that something changed; they pull to learn what. Returns sockets reached. */
  poke(hallId: string, topic: string, at: Date = new Date()): number {
    this.#relay?.publish(hallId, topic, at);
    return this.deliver(hallId, topic, at);
  }

  /** Sends a poke to this instance's sockets only (what the relay calls for other instances' pokes). */
  deliver(hallId: string, topic: string, at: Date): number {
    for (const listener of this.#listeners) listener(hallId, topic);
    const message: ServerMessage = { type: 'poke', hallId, topic, at: at.toISOString() };
    let reached = 0;
    for (const key of [hallId, ALL_HALLS]) {
      for (const socket of this.#byHall.get(key) ?? []) {
        if (socket.readyState === socket.OPEN) {
          socket.send(JSON.stringify(message));
          reached += 1;
        }
      }
    }
    return reached;
  }

  closeAll(): void {
    for (const set of this.#byHall.values()) for (const socket of set) socket.close(1001, 'server shutting down');
  }
}

export function send(socket: WebSocket, message: ServerMessage): void {
  socket.send(JSON.stringify(message));
}
