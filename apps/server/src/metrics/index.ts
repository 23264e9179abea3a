import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { SYNC_PATHS, localDay } from '@hall/shared';
import { serviceKeyMatches } from '../auth/serviceKeys';
import type { ServerContext } from '../context';
import { authenticate, bearerToken } from '../http/auth';
import { forbidden, unauthorized } from '../http/errors';

/** Prometheus text format, version 0.0.4 (what every Prometheus scrapes). */
const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
/** Seconds; dense under the 200 ms target, sparse above it. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2, 5, 10];
/** Label for requests that matched no route, so scanners cannot mint one series per URL. */
const UNMATCHED_ROUTE = 'unmatched';

interface PullSeen {
  hallId: string;
  cursor: number;
  at: number;
}

/**
 * Metrics of one API instance. Request counters are this instance's; the database-derived
 * gauges (queue lengths) are the same on every instance, so dashboards take max() of them.
 */
export class ServerMetrics {
  readonly registry = new Registry();
  readonly #requests: Counter<'method' | 'route' | 'status'>;
  readonly #latency: Histogram<'method' | 'route' | 'status'>;
  /** Last pull per device seen by this instance; identifiers only, no personal data. */
  readonly #pulls = new Map<string, PullSeen>();

  constructor(private readonly ctx: ServerContext) {
    collectDefaultMetrics({ register: this.registry, prefix: 'hall_' });
    this.#requests = new Counter({
      name: 'hall_http_requests_total',
      help: 'HTTP requests answered, by route template and status code',
      labelNames: ['method', 'route', 'status'],
      registers: [this.registry],
    });
    this.#latency = new Histogram({
      name: 'hall_http_request_duration_seconds',
      help: 'HTTP request latency, by route template and status code',
      labelNames: ['method', 'route', 'status'],
      buckets: LATENCY_BUCKETS,
      registers: [this.registry],
    });
    const pulls = this.#pulls;
    const heads = () => this.#heads();
    new Gauge({
      name: 'hall_sync_lag_events',
      help: "Log events a station had not pulled yet at its last pull (hall head now minus the pull's cursor)",
      labelNames: ['hall_id', 'device_id'],
      registers: [this.registry],
      async collect() {
        this.reset();
        const head = await heads();
        for (const [deviceId, seen] of pulls) this.set({ hall_id: seen.hallId, device_id: deviceId }, Math.max(0, (head.get(seen.hallId) ?? 0) - seen.cursor));
      },
    });
    new Gauge({
      name: 'hall_sync_last_pull_age_seconds',
      help: 'Seconds since the station last pulled through this instance',
      labelNames: ['hall_id', 'device_id'],
      registers: [this.registry],
      collect() {
        this.reset();
        const now = Date.now();
        for (const [deviceId, seen] of pulls) this.set({ hall_id: seen.hallId, device_id: deviceId }, (now - seen.at) / 1000);
      },
    });
    const queueLengths = () => this.#queueLengths();
    new Gauge({
      name: 'hall_queue_waiting_tickets',
      help: "Tickets waiting today, per hall and queue (from the database, identical on every instance)",
      labelNames: ['hall_id', 'queue_id'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const row of await queueLengths()) this.set({ hall_id: row.hallId, queue_id: row.queueId }, row.waiting);
      },
    });
    const hub = ctx.hub;
    new Gauge({
      name: 'hall_websocket_connections',
      help: 'Open WebSocket connections on this instance',
      registers: [this.registry],
      collect() {
        this.set(hub.connectionCount());
      },
    });
  }

  observe(method: string, route: string | undefined, status: number, seconds: number): void {
    const labels = { method, route: route ?? UNMATCHED_ROUTE, status: String(status) };
    this.#requests.inc(labels);
    this.#latency.observe(labels, seconds);
  }

  sawPull(deviceId: string, hallId: string, cursor: number): void {
    this.#pulls.set(deviceId, { hallId, cursor, at: Date.now() });
  }

  async #heads(): Promise<Map<string, number>> {
    const rows = await this.ctx.db
      .withTables<{ sync_halls: { hall_id: string; head: number | string } }>()
      .selectFrom('sync_halls')
      .select(['hall_id', 'head'])
      .execute();
    return new Map(rows.map((r) => [r.hall_id, Number(r.head)]));
  }

  async #queueLengths(): Promise<{ hallId: string; queueId: string; waiting: number }[]> {
    const halls = await this.ctx.db.selectFrom('halls').select(['id', 'time_zone']).execute();
    const now = this.ctx.clock();
    const today = new Map(halls.map((h) => [h.id, localDay(now.getTime(), h.time_zone)]));
    const rows = await this.ctx.db
      .selectFrom('tickets')
      .select((eb) => ['hall_id', 'queue_id', 'day', eb.fn.countAll<number | string>().as('waiting')])
      .where('status', '=', 'waiting')
      .groupBy(['hall_id', 'queue_id', 'day'])
      .execute();
    return rows.filter((r) => today.get(r.hall_id) === r.day).map((r) => ({ hallId: r.hall_id, queueId: r.queue_id, waiting: Number(r.waiting) }));
  }
}

/**
 * `GET /metrics` in Prometheus format plus the request hooks that feed it. Registered on
 * the root instance (not under /api/v1) and without encapsulation, so its hooks see every
 * route. Keep /metrics off the public side of the load balancer (deploy/nginx); it also
 * needs a credential (the scraper's HALL_METRICS_TOKEN or a city administrator's session).
 */
export const metricsPlugin: FastifyPluginAsync = async (app: FastifyInstance) => {
  const metrics = new ServerMetrics(app.hall);
  app.decorate('hallMetrics', metrics);
  const pullRoute = `/api/v1${SYNC_PATHS.pull}`;

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url;
    if (route === '/metrics') return;
    metrics.observe(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    if (route === pullRoute && reply.statusCode === 200) {
      const principal = request.principal;
      const cursor = Number((request.query as { cursor?: unknown }).cursor);
      if (principal?.kind === 'device' && Number.isFinite(cursor)) metrics.sawPull(principal.id, principal.hallId, cursor);
    }
  });

  app.get('/metrics', async (request, reply) => {
    // Metrics name halls, stations and traffic: a scraper token (HALL_METRICS_TOKEN) or a city
    // administrator's session, nothing less. Without a token configured only the latter.
    if (!serviceKeyMatches(bearerToken(request), app.hall.metricsTokens)) {
      const principal = await authenticate(app.hall, request);
      if (!principal) throw unauthorized('metrics need a credential: Authorization: Bearer <HALL_METRICS_TOKEN>');
      if (principal.kind !== 'staff' || !principal.roles.includes('city_admin')) throw forbidden('metrics are for the scraper token or a city administrator');
    }
    const body = await metrics.registry.metrics();
    return reply.header('content-type', CONTENT_TYPE).send(body);
  });
};
// Hooks must reach sibling routes: opt out of Fastify's encapsulation (what fastify-plugin does).
Object.assign(metricsPlugin, { [Symbol.for('skip-override')]: true });

declare module 'fastify' {
  interface FastifyInstance {
    hallMetrics: ServerMetrics;
  }
}
