import type { FastifyServerOptions } from 'fastify';
import { REDACT_PATHS, REDACTED } from '@hall/shared';

export type LoggerOptions = Exclude<FastifyServerOptions['logger'], boolean | undefined>;

/** Structured JSON logs (pino) with personal fields replaced by "[redacted]". */
export function loggerOptions(level = 'info', stream?: NodeJS.WritableStream): LoggerOptions {
  return {
    level,
    redact: { paths: [...REDACT_PATHS], censor: REDACTED },
    ...(stream && { stream }),
  } as LoggerOptions;
}
