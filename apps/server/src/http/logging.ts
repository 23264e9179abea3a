import type { FastifyServerOptions } from 'fastify';

/**
 * Fields that may carry personal data or secrets, wherever they appear in a log object.
 * Request logs never include bodies or headers by default; this catches anything that
 * code logs by mistake (e.g. `request.log.info({ body })`).
 */
const SENSITIVE_KEYS = [
  'authorization',
  'cookie',
  'password',
  'newPassword',
  'demoPassword',
  'token',
  'credential',
  'idNumber',
  'idHash',
  'phone',
  'citizen',
  'maskedName',
  'displayName',
  'address',
];

export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["sec-websocket-protocol"]',
  ...SENSITIVE_KEYS,
  ...SENSITIVE_KEYS.map((key) => `*.${key}`),
  ...SENSITIVE_KEYS.map((key) => `*.*.${key}`),
];

export type LoggerOptions = Exclude<FastifyServerOptions['logger'], boolean | undefined>;

/** Structured JSON logs (pino) with personal fields replaced by "[redacted]". */
export function loggerOptions(level = 'info', stream?: NodeJS.WritableStream): LoggerOptions {
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    ...(stream && { stream }),
  } as LoggerOptions;
}
