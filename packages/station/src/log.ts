import { REDACT_PATHS, REDACTED } from '@hall/shared';
import { pino, type DestinationStream, type Logger } from 'pino';

export type StationLogger = Logger;

/**
 * A station's structured log (pino, JSON lines) with the central API's redaction: ID
 * numbers, names, phones and credentials in a logged object come out as "[redacted]".
 * Messages themselves are never scanned, so they must not carry personal data.
 */
export function createStationLogger(destination: DestinationStream, level = 'info'): StationLogger {
  return pino({ level, redact: { paths: [...REDACT_PATHS], censor: REDACTED } }, destination);
}

/**
 * The station's log. On stderr, where its messages always went, and written synchronously
 * so that the last words of a station that exits at once (a failed start) are not lost.
 */
export const log: StationLogger = createStationLogger(pino.destination({ fd: 2, sync: true }));
