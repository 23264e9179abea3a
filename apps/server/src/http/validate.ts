import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { ApiError } from './errors';

type Part = 'params' | 'query' | 'body';
type Schemas = Partial<Record<Part, z.ZodType>>;
type Parsed<S extends Schemas> = { [K in keyof S]: S[K] extends z.ZodType ? z.output<S[K]> : never };

/**
 * Parses the parts of a request a handler needs; any mismatch is a 400 naming each
 * offending field, so a client can fix its input without reading server logs.
 */
export function parseRequest<S extends Schemas>(request: FastifyRequest, schemas: S): Parsed<S> {
  const out: Record<string, unknown> = {};
  const problems: { in: Part; path: string; message: string }[] = [];
  for (const part of ['params', 'query', 'body'] as const) {
    const schema = schemas[part];
    if (!schema) continue;
    const result = schema.safeParse(request[part] ?? (part === 'body' ? undefined : {}));
    if (result.success) out[part] = result.data;
    else {
      for (const issue of result.error.issues) {
        problems.push({ in: part, path: issue.path.map(String).join('.'), message: issue.message });
      }
    }
  }
  if (problems.length > 0) {
    const first = problems[0]!;
    const where = first.path ? `${first.in}.${first.path}` : first.in;
    throw new ApiError(400, 'invalid_request', `${where}: ${first.message}`, problems);
  }
  return out as Parsed<S>;
}
