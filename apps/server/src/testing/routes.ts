import type { FastifyInstance } from 'fastify';

/**
 * Every route a built server answers, as "METHOD /full/path" (HEAD left out), read from
 * Fastify's route tree print-out: the tree gives each node its path segment and methods,
 * indented four characters per level.
 */
export function registeredRoutes(app: FastifyInstance): string[] {
  const stack: string[] = [];
  const routes: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const node = /^((?:[│ ] {3})*)[├└]── (\S+)(?: \(([^)]*)\))?$/.exec(line);
    if (!node) continue;
    stack.length = node[1]!.length / 4;
    stack.push(node[2]!);
    const path = stack.join('');
    for (const method of (node[3] ?? '').split(', ')) if (method && method !== 'HEAD') routes.push(`${method} ${path}`);
  }
  return routes;
}
