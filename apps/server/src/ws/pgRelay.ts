import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { HallHub, PokeRelay } from './hub';

/** One channel for every hall: payloads name the hall, and NOTIFY is cheap when nobody listens. */
export const POKE_CHANNEL = 'hall_poke';
/** Wait before re-LISTENing after the listener connection drops. */
const RECONNECT_DELAY_MS = 1_000;

interface PokeNotice {
  origin: string;
  hallId: string;
  topic: string;
  at: string;
}

function parseNotice(payload: string | undefined): PokeNotice | undefined {
  if (!payload) return undefined;
  try {
    const value = JSON.parse(payload) as Partial<PokeNotice>;
    if (typeof value.origin === 'string' && typeof value.hallId === 'string' && typeof value.topic === 'string' && typeof value.at === 'string') {
      return value as PokeNotice;
    }
  } catch {
    // Someone else NOTIFYing on our channel: ignore rather than crash the listener.
  }
  return undefined;
}

/**
 * Shares pokes between API instances on one PostgreSQL through LISTEN/NOTIFY, so a
 * station connected to instance A hears about a push that landed on instance B. Pokes
 * are hints (stations also poll), so a notice lost while the listener reconnects costs
 * latency, never data.
 */
export class PgPokeRelay implements PokeRelay {
  readonly origin = randomUUID();
  #listener: pg.Client | undefined;
  #closed = false;
  #retry: NodeJS.Timeout | undefined;
  #hub: HallHub | undefined;

  /** One connection of its own, for LISTEN and NOTIFY: pokes never queue behind request traffic. */
  constructor(private readonly url: string) {}

  /** Starts listening; resolves once LISTEN is in place so pokes published afterwards arrive. */
  async start(hub: HallHub): Promise<void> {
    this.#hub = hub;
    await this.#listen();
  }

  async #listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    client.on('notification', (message) => {
      if (message.channel !== POKE_CHANNEL) return;
      const notice = parseNotice(message.payload);
      if (!notice || notice.origin === this.origin) return;
      this.#hub?.deliver(notice.hallId, notice.topic, new Date(notice.at));
    });
    client.on('error', () => this.#reconnect(client));
    client.on('end', () => this.#reconnect(client));
    await client.connect();
    await client.query(`LISTEN ${POKE_CHANNEL}`);
    this.#listener = client;
  }

  #reconnect(client: pg.Client): void {
    if (this.#closed || this.#listener !== client) return;
    this.#listener = undefined;
    void client.end().catch(() => {});
    this.#scheduleRetry();
  }

  #scheduleRetry(): void {
    if (this.#closed) return;
    this.#retry = setTimeout(() => {
      this.#listen().catch(() => this.#scheduleRetry());
    }, RECONNECT_DELAY_MS);
  }

  get listening(): boolean {
    return this.#listener !== undefined;
  }

  publish(hallId: string, topic: string, at: Date): void {
    const payload: PokeNotice = { origin: this.origin, hallId, topic, at: at.toISOString() };
    // pg_notify takes parameters (plain NOTIFY does not), so ids need no quoting. While the
    // connection is down the poke is dropped: the other instances' stations still poll.
    this.#listener?.query('select pg_notify($1, $2)', [POKE_CHANNEL, JSON.stringify(payload)]).catch(() => {});
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#retry) clearTimeout(this.#retry);
    const listener = this.#listener;
    this.#listener = undefined;
    await listener?.end().catch(() => {});
  }
}
