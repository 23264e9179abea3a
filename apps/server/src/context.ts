import type { Kysely } from 'kysely';
import type { LoginGuard } from './auth/loginGuard';
import type { HallDatabase } from './db/connection';
import type { Database } from './db/schema';
import type { Principal } from './http/principal';
import type { DataKeyring } from './secrets/keyring';
import type { HallHub } from './ws/hub';

export type Clock = () => Date;

/** What every route and plugin reaches through `app.hall`. */
export interface ServerContext {
  database: HallDatabase;
  /**
   * Shortcut for `database.db`. Run writes with `db.transaction().execute(async (trx) => …)`
   * and pass `trx` (not `db`) to every store call inside: on SQLite there is one connection,
   * so a query on `db` inside the callback waits for the transaction forever.
   */
  db: Kysely<Database>;
  clock: Clock;
  /** WebSocket fan-out: `hub.poke(hallId, message)` reaches the hall's connected stations. */
  hub: HallHub;
  /** Seals secrets and personal data at rest (signing keys, phone numbers): see src/secrets. */
  dataKeys: DataKeyring;
  /** Shared secrets of the citizen platform, the only caller that may issue residence codes (HALL_CITIZEN_PLATFORM_KEY). */
  citizenPlatformKeys: readonly string[];
  /** Bearer tokens of the metrics scraper (HALL_METRICS_TOKEN); a city administrator's session also reads /metrics. */
  metricsTokens: readonly string[];
  /** Login rate limits and lockouts of this instance (src/auth/loginGuard.ts). */
  loginGuard: LoginGuard;
  /** How long an enrollment code stays usable (HALL_ENROLLMENT_CODE_HOURS, default 72). */
  enrollmentCodeHours: number;
  version: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    hall: ServerContext;
  }
  interface FastifyRequest {
    /** Set lazily by `authenticate`; undefined until a route asks for it. */
    principal: Principal | null | undefined;
  }
}
