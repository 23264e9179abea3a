import type { StationDbMigration } from './open';

/**
 * The station database's own migrations (station.db, opened by openStationDb).
 *
 * Entities live in two layers: `base` is the server's state as of the pull cursor, `live`
 * is base plus this station's not-yet-reflected mutations (what the screens show).
 */
export const STATION_MIGRATIONS: readonly StationDbMigration[] = [
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;

  CREATE TABLE catalogue_items (
    kind TEXT NOT NULL CHECK (kind IN ('hall','service','form','queue','counter','callingRules')),
    id TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (kind, id)
  ) STRICT;

  CREATE TABLE tickets (
    layer TEXT NOT NULL CHECK (layer IN ('base','live')),
    id TEXT NOT NULL,
    data TEXT NOT NULL,
    queue_id TEXT GENERATED ALWAYS AS (json_extract(data, '$.queueId')) VIRTUAL,
    day TEXT GENERATED ALWAYS AS (json_extract(data, '$.day')) VIRTUAL,
    number TEXT GENERATED ALWAYS AS (json_extract(data, '$.number')) VIRTUAL,
    status TEXT GENERATED ALWAYS AS (json_extract(data, '$.status')) VIRTUAL,
    PRIMARY KEY (layer, id)
  ) STRICT;
  CREATE INDEX tickets_by_queue_day ON tickets (layer, queue_id, day, number);

  CREATE TABLE counters (
    layer TEXT NOT NULL CHECK (layer IN ('base','live')),
    id TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (layer, id)
  ) STRICT;

  CREATE TABLE cases (
    layer TEXT NOT NULL CHECK (layer IN ('base','live')),
    id TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (layer, id)
  ) STRICT;

  CREATE TABLE appointments (
    id TEXT PRIMARY KEY,
    date TEXT NOT NULL,
    data TEXT NOT NULL
  ) STRICT;

  CREATE TABLE verification_keys (
    kid TEXT PRIMARY KEY,
    data TEXT NOT NULL
  ) STRICT;

  CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    epoch TEXT NOT NULL,
    type TEXT NOT NULL,
    payload TEXT NOT NULL,
    hlc TEXT NOT NULL,
    created_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','applied','rejected')),
    code TEXT,
    reason TEXT,
    log_seq INTEGER,
    acked_at TEXT
  ) STRICT;
  CREATE INDEX outbox_by_status ON outbox (status, seq);

  CREATE TABLE number_blocks (
    queue_id TEXT NOT NULL,
    day TEXT NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    next INTEGER NOT NULL,
    PRIMARY KEY (queue_id, day, start),
    CHECK (start <= next AND next <= end + 1)
  ) STRICT;
  `,
  // The hall mesh: mutations of the hall's other stations, held until the server's state
  // reflects them (status 'applied' with its log position, 'rejected', or 'settled' when
  // only the server's per-device watermark said so), and those watermarks.
  `
  CREATE TABLE peer_mutations (
    id TEXT PRIMARY KEY,
    device_id TEXT NOT NULL,
    epoch TEXT NOT NULL,
    seq INTEGER NOT NULL,
    type TEXT NOT NULL,
    payload TEXT NOT NULL,
    hlc TEXT NOT NULL,
    received_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','applied','rejected','settled')),
    code TEXT,
    reason TEXT,
    log_seq INTEGER,
    UNIQUE (device_id, epoch, seq)
  ) STRICT;
  CREATE INDEX peer_mutations_by_status ON peer_mutations (status, hlc);

  CREATE TABLE device_watermarks (
    device_id TEXT NOT NULL,
    epoch TEXT NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (device_id, epoch)
  ) STRICT;
  `,
  // Outbox rows are named by epoch and seq: a station that opens a new epoch (restored
  // from a backup, or its central API was) renumbers its unconfirmed rows from seq 1 under
  // it and keeps the older epochs' rows beside them. Form values stay until a restore
  // horizon after acknowledgement (outbox_forms_by_ack finds the ones to scrub).
  `
  CREATE TABLE outbox_v3 (
    epoch TEXT NOT NULL,
    seq INTEGER NOT NULL,
    id TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL,
    payload TEXT NOT NULL,
    hlc TEXT NOT NULL,
    created_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','applied','rejected')),
    code TEXT,
    reason TEXT,
    log_seq INTEGER,
    acked_at TEXT,
    PRIMARY KEY (epoch, seq)
  ) STRICT;
  INSERT INTO outbox_v3 (epoch, seq, id, type, payload, hlc, created_at, status, code, reason, log_seq, acked_at)
    SELECT epoch, seq, id, type, payload, hlc, created_at, status, code, reason, log_seq, acked_at FROM outbox;
  DROP TABLE outbox;
  ALTER TABLE outbox_v3 RENAME TO outbox;
  CREATE INDEX outbox_by_status ON outbox (status, epoch, seq);
  CREATE INDEX outbox_forms_by_ack ON outbox (acked_at) WHERE type IN ('submitForm', 'acceptCase');
  `,
  // What a hall peer that reached the central API said the server decided of a mutation this
  // station has not heard decided itself (the API away): replay follows the server's order.
  `
  ALTER TABLE outbox ADD COLUMN heard_log_seq INTEGER;
  ALTER TABLE outbox ADD COLUMN heard_rejected INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE peer_mutations ADD COLUMN heard_log_seq INTEGER;
  ALTER TABLE peer_mutations ADD COLUMN heard_rejected INTEGER NOT NULL DEFAULT 0;
  `,
  // A station back from a long outage holds thousands of pending rows: what to push next is
  // read in HLC order straight off an index (no sort of the whole backlog per batch), the
  // pending count and age from it alone, and the rows a pull page confirms by log position.
  `
  CREATE INDEX outbox_by_status_hlc ON outbox (status, hlc, created_at);
  CREATE INDEX outbox_by_status_log ON outbox (status, log_seq);
  `,
];
