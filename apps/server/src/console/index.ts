import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';

/** Where `npm run build -w @hall/console` puts the console (apps/console/out). */
export const CONSOLE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../console/out');
export const CONSOLE_PREFIX = '/console';
const CSP = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; frame-ancestors 'none'";

/**
 * Serves the management console (a static React app talking to /api/v1) at /console.
 * Without a build it answers 503 and says how to build, instead of a bare 404.
 */
export function consolePlugin(root = CONSOLE_DIR): FastifyPluginAsync {
  return async (app) => {
    if (!existsSync(resolve(root, 'index.html'))) {
      const unbuilt = async (_request: unknown, reply: FastifyReply) =>
        reply.code(503).type('text/plain; charset=utf-8').send('console not built: run `npm run build -w @hall/console`');
      app.get(`${CONSOLE_PREFIX}/*`, unbuilt);
      app.get(CONSOLE_PREFIX, unbuilt);
      return;
    }
    // With ignoreTrailingSlash the static plugin does not answer the bare prefix itself.
    const index = async (_request: unknown, reply: FastifyReply) =>
      reply.header('cache-control', 'no-cache').header('content-security-policy', CSP).type('text/html; charset=utf-8').send(await readFile(resolve(root, 'index.html')));
    app.get(CONSOLE_PREFIX, index);
    await app.register(fastifyStatic, {
      root,
      prefix: `${CONSOLE_PREFIX}/`,
      decorateReply: false,
      // Built assets carry content hashes in their names; index.html must always be fresh.
      setHeaders: (res, file) => {
        res.header('cache-control', file.endsWith('index.html') ? 'no-cache' : 'public, max-age=31536000, immutable');
        res.header('content-security-policy', CSP);
      },
    });
  };
}
