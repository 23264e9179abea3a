import { randomUUID } from 'node:crypto';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import type { Clock, ServerContext } from './context';
import type { HallDatabase } from './db/connection';
import { WS_PROTOCOL } from './http/auth';
import { frameworkErrorReply, installErrorHandling } from './http/errors';
import type { LoggerOptions } from './http/logging';
import { appointmentRoutes, blacklistRoutes } from './routes/appointments';
import { blacklistPlugin } from './blacklist/routes';
import { authRoutes } from './routes/auth';
import { counterRoutes } from './routes/counters';
import { formRoutes } from './routes/forms';
import { hallRoutes } from './routes/halls';
import { healthRoutes } from './routes/health';
import { queueRoutes } from './routes/queues';
import { serviceRoutes } from './routes/services';
import { staffRoutes } from './routes/staff';
import { wsRoutes } from './routes/ws';
import { lockerPlugin } from './lockers/index';
import { residenceCodePlugin } from './residence-code/index';
import { smsPlugin } from './sms/index';
import { syncPlugin } from './sync/index';
import { caseFormsPlugin } from './sync/caseForms';
import { statsPlugin } from './stats/index';
import { adminPlugin } from './admin/index';
import { slipTemplatePlugin } from './slips/routes';
import { counterStatsPlugin } from './stats/counters/routes';
import { ratingPlugin } from './ratings/index';
import { catalogueRoutes } from './catalogue/routes';
import { lanKeyAdminRoutes } from './lan-keys/index';
import { caseLifecyclePlugin } from './cases/routes';
import { handoffPlugin } from './handoff/routes';
import { releaseAdminRoutes } from './release/routes';
import { consolePlugin } from './console/index';
import { dataKeysFromEnv } from './secrets/config';
import { prepareDataAtRest } from './secrets/atRest';
import type { DataKeyring } from './secrets/keyring';
import { LoginGuard, type LoginPolicy } from './auth/loginGuard';
import { parseServiceKeys } from './auth/serviceKeys';
import { SERVER_VERSION } from './version';
import { HallHub } from './ws/hub';
import { staffAnnouncementRoutes } from './staffAnnouncements/routes';
import { forgetCatalogue } from './sync/catalogue';
import { PgPokeRelay } from './ws/pgRelay';
import { metricsPlugin } from './metrics/index';
import { performanceRoutes } from './performance/index';
import { FollowFeed, MissedTicketSms, phoneApiPlugin, phonePagesPlugin } from './phone/index';
import { peoplePlugin, permissionGate } from './people/index';

export const API_PREFIX = '/api/v1';
/** Largest accepted request body; a whole service with its decision tree is far below it. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

export interface BuildServerOptions {
  /** An open, migrated database. The caller owns it and closes it after the server. */
  database: HallDatabase;
  /** false (default) for silence, or pino options from `loggerOptions()`. */
  logger?: false | LoggerOptions;
  clock?: Clock;
  /** How often the no-show job runs in this process; 0 turns the timer off (on demand only). Default HALL_NO_SHOW_INTERVAL_MS or 5 minutes. */
  noShowIntervalMs?: number;
  /** Extra plugins registered under /api/v1, after the built-in routes (tests, tools). */
  plugins?: FastifyPluginAsync[];
  /** Data-encryption keys; by default from HALL_DATA_KEYS / HALL_DATA_KEY_FILE (src/secrets/config.ts). */
  dataKeys?: DataKeyring;
  /** Keys of the citizen platform (issues residence codes); by default HALL_CITIZEN_PLATFORM_KEY, comma-separated. */
  citizenPlatformKeys?: string[];
  /** Bearer tokens that may read /metrics; by default HALL_METRICS_TOKEN, comma-separated. */
  metricsTokens?: string[];
  /** Login limits; defaults in src/auth/loginGuard.ts. */
  loginPolicy?: Partial<LoginPolicy>;
  /** Hours an enrollment code stays usable; by default HALL_ENROLLMENT_CODE_HOURS or 72. */
  enrollmentCodeHours?: number;
  /**
   * Proxies whose X-Forwarded-For is believed (login limits are per client address); by
   * default HALL_TRUST_PROXY (addresses or CIDRs, comma-separated). Unset: none.
   */
  trustProxy?: string[];
}

/** HALL_ENROLLMENT_CODE_HOURS: a positive number of hours, 72 when unset. */
export function enrollmentCodeHoursFromEnv(env: NodeJS.ProcessEnv): number {
  const text = env.HALL_ENROLLMENT_CODE_HOURS?.trim();
  if (!text) return 72;
  const hours = Number(text);
  if (!Number.isFinite(hours) || hours <= 0 || hours > 24 * 90) throw new Error(`HALL_ENROLLMENT_CODE_HOURS: "${text}" is not a number of hours between 0 and 2160`);
  return hours;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

export async function buildServer(options: BuildServerOptions): Promise<FastifyInstance> {
  const trustProxy = options.trustProxy ?? (process.env.HALL_TRUST_PROXY ?? '').split(',').map((a) => a.trim()).filter((a) => a !== '');
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: BODY_LIMIT_BYTES,
    // Only named proxies may say who the client is; otherwise X-Forwarded-For is ignored.
    ...(trustProxy.length > 0 && { trustProxy }),
    // Accept a caller's request id only if it is short and plain, so it cannot forge log lines.
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    routerOptions: { ignoreTrailingSlash: true },
    frameworkErrors: (error, _request, reply) => frameworkErrorReply(error, reply),
  });

  // Wrong keys stop the start here, before any route could read a row they cannot open.
  const dataKeys = options.dataKeys ?? (await dataKeysFromEnv(process.env, options.database)).keyring;
  const sealReport = await prepareDataAtRest(options.database.db, dataKeys);
  if (sealReport.unreadable.length > 0) app.log.error({ rows: sealReport.unreadable }, 'sealed values that do not open (tampered?) were left as they are');

  const clock = options.clock ?? (() => new Date());
  const context: ServerContext = {
    database: options.database,
    db: options.database.db,
    clock,
    hub: new HallHub(),
    dataKeys,
    citizenPlatformKeys: options.citizenPlatformKeys ?? parseServiceKeys(process.env.HALL_CITIZEN_PLATFORM_KEY, 'HALL_CITIZEN_PLATFORM_KEY'),
    metricsTokens: options.metricsTokens ?? parseServiceKeys(process.env.HALL_METRICS_TOKEN, 'HALL_METRICS_TOKEN'),
    loginGuard: new LoginGuard(options.loginPolicy, () => clock().getTime()),
    enrollmentCodeHours: options.enrollmentCodeHours ?? enrollmentCodeHoursFromEnv(process.env),
    version: SERVER_VERSION,
  };
  context.hub.onPoke((hallId, topic) => {
    if (topic === 'catalogue') forgetCatalogue(context.db, hallId);
  });
  app.decorate('hall', context);
  app.decorateRequest('principal', undefined);
  app.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });
  // Several instances on one PostgreSQL share pokes through LISTEN/NOTIFY (issue 10).
  const relay = options.database.connectionUrl ? new PgPokeRelay(options.database.connectionUrl) : undefined;
  if (relay) {
    await relay.start(context.hub);
    context.hub.setRelay(relay);
  }
  const followFeed = new FollowFeed(context);
  const missedSms = new MissedTicketSms(context);
  app.addHook('onClose', async () => {
    followFeed.close();
    missedSms.close();
    context.hub.closeAll();
    await relay?.close();
  });
  installErrorHandling(app);

  await app.register(fastifyWebsocket, {
    options: {
      maxPayload: 64 * 1024,
      // Select our protocol so browsers that authenticated by subprotocol accept the reply.
      handleProtocols: (protocols) => (protocols.has(WS_PROTOCOL) ? WS_PROTOCOL : false),
    },
  });

  await app.register(metricsPlugin); // issue 10: GET /metrics and request timing for every route

  await app.register(
    async (api) => {
      // Issue 20: configurable roles narrow every console route (src/people/gate.ts); first, so it sees them all.
      api.addHook('preHandler', permissionGate(context));
      await api.register(healthRoutes);
      await api.register(authRoutes);
      await api.register(hallRoutes);
      await api.register(serviceRoutes);
      await api.register(formRoutes);
      await api.register(counterRoutes);
      await api.register(queueRoutes);
      await api.register(staffRoutes);
      await api.register(appointmentRoutes);
      await api.register(blacklistRoutes);
      await api.register(wsRoutes);

      // ── Registration point for feature plugins ────────────────────────────────────
      // A feature folder exports a Fastify plugin; it reaches the database, clock and
      // WebSocket hub through `app.hall` and uses http/auth + http/validate like the
      // routes above. Add one line here per feature.
      await api.register(syncPlugin); // issue 3: src/sync/**
      await api.register(caseFormsPlugin); // 回显: kiosk form values read back at the counter
      await api.register(residenceCodePlugin); // issue 8: src/residence-code/**
      await api.register(lockerPlugin); // issue 8: src/lockers/**
      await api.register(smsPlugin); // issue 8: src/sms/**
      await api.register(statsPlugin); // issue 9: src/stats/**
      await api.register(adminPlugin); // issue 9: src/admin/**
      await api.register(lanKeyAdminRoutes); // hall LAN key: console status and rotation (src/lan-keys/**)
      await api.register(blacklistPlugin, options.noShowIntervalMs === undefined ? {} : { noShowIntervalMs: options.noShowIntervalMs }); // issue 19: src/blacklist/**
      await api.register(caseLifecyclePlugin); // issue 16: a case's whole life, back office (src/cases/**)
      await api.register(releaseAdminRoutes); // 放号密码 and 现场号/特殊号 supervision (src/release/**)
      await api.register(phoneApiPlugin(followFeed)); // issue 18: the citizen's phone (src/phone/**)
      await api.register(performanceRoutes); // issue 20: 窗口绩效管理 (src/performance/**)
      await api.register(peoplePlugin); // issue 20: departments, roles, the audit log, staff Excel (src/people/**)
      await api.register(catalogueRoutes); // issue 20: shared materials, service versions, workbook (src/catalogue/**)
      await api.register(staffAnnouncementRoutes); // issue 20: 系统通知公告 (src/staffAnnouncements/**)
      await api.register(handoffPlugin); // issue 17: 物料流转 (src/handoff/**)
      // ─────────────────────────────────────────────────────────────────────────────

      await api.register(slipTemplatePlugin); // issue 20: printed documents' wording (src/slips/**)
      await api.register(counterStatsPlugin); // issue 20: themes, half-years, pauses, extended hours (src/stats/counters/**)
      await api.register(ratingPlugin); // issue 20: ratings to the city's 好差评 platform (src/ratings/**)

      for (const plugin of options.plugins ?? []) await api.register(plugin);
    },
    { prefix: API_PREFIX },
  );
  await app.register(consolePlugin()); // issue 9: the management console at /console
  await app.register(phonePagesPlugin); // issue 18: /follow/<ref>, /track/<ref> and the booking pages for phones
  return app;
}
