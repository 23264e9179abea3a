/**
 * Wire versions. The protocol version changes when message shapes change; the schema
 * version when the meaning of mutation payloads or change rows changes. The server
 * refuses a request whose versions it does not speak, so an old station never applies
 * a change it would misread.
 */
export const SYNC_PROTOCOL_VERSION = 1;
export const SYNC_SCHEMA_VERSION = 1;

/** Headers every sync request carries. */
export const SYNC_HEADERS = {
  protocol: 'x-hall-sync-protocol',
  schema: 'x-hall-sync-schema',
  /** Response: the server's clock (Unix ms) when it answered, for the station's offset estimate. */
  serverTime: 'x-hall-server-time',
  /** Request: the station's measured offset (server clock minus station clock, ms), stored on its device row. */
  clockOffset: 'x-hall-clock-offset',
} as const;

/** Bounds that keep one request cheap for the server and the station alike. */
export const SYNC_LIMITS = {
  /** Mutations per push request. */
  maxPushBatch: 500,
  /** Change rows per pull page. */
  maxPullPage: 1000,
  /** Request body bytes the server accepts on push. */
  maxPushBytes: 2 * 1024 * 1024,
  /** Bytes of one mutation payload. */
  maxPayloadBytes: 64 * 1024,
} as const;
