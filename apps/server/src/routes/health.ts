import type { FastifyPluginAsync } from 'fastify';
import { pingDatabase } from '../db/connection';

/** `/health` says whether this instance can serve; `/ready` is for load balancers (no body to parse). */
export const healthRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.hall;
  const check = async () => {
    try {
      await pingDatabase(ctx.db);
      return true;
    } catch {
      return false;
    }
  };

  app.get('/health', async (_request, reply) => {
    const dbOk = await check();
    return reply.code(dbOk ? 200 : 503).send({
      status: dbOk ? 'ok' : 'degraded',
      version: ctx.version,
      db: { dialect: ctx.database.dialect, reachable: dbOk },
      time: ctx.clock().toISOString(),
    });
  });

  app.get('/ready', async (_request, reply) => {
    const dbOk = await check();
    return reply.code(dbOk ? 200 : 503).send({ ready: dbOk });
  });
};
