/**
 * Fields that may carry personal data or secrets, wherever they appear in a log object.
 * The central API's and the stations' pino loggers both redact them: request logs never
 * include bodies or headers by default, and this catches anything code logs by mistake
 * (e.g. `log.info({ body })`).
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
  // A card read (idcard/cardFile.ts) and a filled form name the citizen under plain `name`;
  // a service's or a counter's name in a log line is lost too, a citizen's never leaks.
  'name',
  // Form values (申请表) are the citizen's answers: none of them belongs in a log.
  'values',
];

/** pino `redact.paths`: the HTTP secrets of a request log, and every sensitive key up to two levels deep. */
export const REDACT_PATHS: readonly string[] = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["sec-websocket-protocol"]',
  ...SENSITIVE_KEYS,
  ...SENSITIVE_KEYS.map((key) => `*.${key}`),
  ...SENSITIVE_KEYS.map((key) => `*.*.${key}`),
];

/** What a redacted value is replaced by. */
export const REDACTED = '[redacted]';
