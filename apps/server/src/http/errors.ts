import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { StoredDataError } from '../db/json';

/** The one error body every endpoint uses: `{error: {code, message, details?}}`. */
export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const notFound = (what: string, id: string) => new ApiError(404, 'not_found', `${what} ${id} does not exist`);
export const unauthorized = (message = 'authentication required') => new ApiError(401, 'unauthorized', message);
export const forbidden = (message = 'not allowed for this principal') => new ApiError(403, 'forbidden', message);
export const conflict = (message: string) => new ApiError(409, 'conflict', message);
export const unknownReference = (message: string, details?: unknown) =>
  new ApiError(422, 'unknown_reference', message, details);

function body(code: string, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

/** Unique/foreign-key violations are the client's fault (duplicate id, dangling reference). */
function constraintError(error: unknown): ApiError | undefined {
  const code = (error as { code?: unknown }).code;
  if (code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    return new ApiError(409, 'conflict', 'a record with the same identity already exists');
  }
  if (code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
    return new ApiError(422, 'unknown_reference', 'the record refers to something that does not exist');
  }
  return undefined;
}

const FASTIFY_CODES: Record<number, string> = {
  400: 'malformed_request',
  404: 'not_found',
  413: 'body_too_large',
  414: 'uri_too_long',
  415: 'unsupported_media_type',
};

/**
 * Errors raised by the router before any handler (bad URL encoding, an over-long path
 * parameter) bypass the error handler; this gives them the same JSON shape.
 * Passed to Fastify as `frameworkErrors`.
 */
export function frameworkErrorReply(error: FastifyError, reply: FastifyReply): void {
  const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
  void reply.code(status).send(body(FASTIFY_CODES[status] ?? 'bad_request', error.message));
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send(body('not_found', `no route ${request.method} ${request.url.split('?')[0]}`));
  });

  app.setErrorHandler((error: FastifyError | ApiError | Error, request, reply) => {
    const known = error instanceof ApiError ? error : constraintError(error);
    if (known) {
      return reply.code(known.statusCode).send(body(known.code, known.message, known.details));
    }
    const status = (error as FastifyError).statusCode;
    // Fastify's own client errors: malformed JSON, oversize body, wrong content type …
    if (status !== undefined && status >= 400 && status < 500) {
      const code = FASTIFY_CODES[status] ?? 'bad_request';
      return reply.code(status).send(body(code, error.message));
    }
    if (error instanceof StoredDataError) {
      request.log.error({ err: error }, 'stored data failed validation');
      return reply.code(500).send(body('stored_data_invalid', error.message));
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.code(500).send(body('internal', 'internal server error'));
  });
}
