import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { DataKeyError, sealedPrefix, isSealed, type DataKeyring } from './keyring';

/** Every column holding a secret or personal data at rest, with the column naming its row. */
export const SEALED_COLUMNS = [
  { table: 'residence_keys', column: 'private_key', key: 'kid' },
  { table: 'residence_secrets', column: 'value', key: 'name' },
  { table: 'hall_lan_keys', column: 'key', key: 'kid' },
  // Seals citizens' name, ID number and address inside residence codes (码上填表).
  { table: 'residence_data_keys', column: 'key', key: 'kid' },
  { table: 'locker_parcels', column: 'phone', key: 'id' },
  // Opens the mobile numbers sealed in a counter's offline deposit codes.
  { table: 'locker_delegations', column: 'phone_key', key: 'kid' },
  { table: 'sms_outbox', column: 'phone', key: 'id' },
  // A booked citizen's mobile, for the SMS telling them of a bar (blacklist/noShows.ts).
  { table: 'appointments', column: 'citizen_phone', key: 'id' },
  // Holds the pickup code until the gateway has the message.
  { table: 'sms_outbox', column: 'params_json', key: 'id' },
  // What citizens and clerks typed into a case's form: names, ID numbers, addresses.
  { table: 'sync_case_forms', column: 'values_json', key: 'case_id' },
  // Clerk keys: with one, a counter station proves which clerk signed in there (sync/clerkKeys.ts).
  { table: 'clerk_keys', column: 'key', key: 'id' },
  // Device keys: with one, a station proves its mutations when a hall peer relays them (sync/deviceKeys.ts).
  { table: 'device_keys', column: 'key', key: 'id' },
  // The phone a citizen proved with an SMS code while booking (phone/booking).
  { table: 'booking_sessions', column: 'phone', key: 'id' },
  // The mobile a clerk is told their appraisal results on (performance/, issue 20).
  { table: 'performance_contacts', column: 'phone', key: 'staff_id' },
  // The phone left at the kiosk for "N people ahead" (phone/positionSms), until that SMS is queued.
  { table: 'position_sms_requests', column: 'phone', key: 'ticket_id' },
] as const;

export type SealedColumn = (typeof SEALED_COLUMNS)[number];

/** The authenticated context of one value: a sealed value opens only in its own row and column. */
export function sealContext(column: Pick<SealedColumn, 'table' | 'column'>, rowKey: string): string {
  return `${column.table}.${column.column}:${rowKey}`;
}

const CHECK_PLAIN = 'hall data key check';

type CheckTables = { data_key_checks: { kid: string; check_value: string; created_at: string } };
type Loose = Kysely<Record<string, Record<string, string>>>;

function checksDb(db: Kysely<Database>): Kysely<Database & CheckTables> {
  return db.withTables<CheckTables>();
}

async function countUnder(db: Kysely<Database>, kid: string): Promise<number> {
  let total = 0;
  for (const c of SEALED_COLUMNS) {
    const row = await (db as unknown as Loose)
      .selectFrom(c.table)
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where(c.column, 'like', `${sealedPrefix(kid)}%`)
      .executeTakeFirst();
    total += Number(row?.n ?? 0);
  }
  return total;
}

/**
 * Refuses to start with the wrong keys rather than failing later on one row: each key
 * that ever sealed data left a check value; a configured key must open its check value,
 * and a key no longer configured must have no data left under it.
 */
export async function verifyDataKeys(db: Kysely<Database>, keyring: DataKeyring): Promise<void> {
  const checks = await checksDb(db).selectFrom('data_key_checks').selectAll().execute();
  for (const check of checks) {
    if (keyring.has(check.kid)) {
      try {
        keyring.open(check.check_value, `data_key_checks:${check.kid}`);
      } catch {
        throw new DataKeyError(`data key "${check.kid}" is not the key that sealed this database's data (its check value does not open); check HALL_DATA_KEYS / HALL_DATA_KEY_FILE`);
      }
      continue;
    }
    const left = await countUnder(db, check.kid);
    if (left > 0) throw new DataKeyError(`${left} value(s) in this database are sealed under data key "${check.kid}", which is not configured; add it back to HALL_DATA_KEYS / HALL_DATA_KEY_FILE`);
    // Fully rotated away: forget it, so its absence is no longer an error.
    await checksDb(db).deleteFrom('data_key_checks').where('kid', '=', check.kid).execute();
  }
  await checksDb(db)
    .insertInto('data_key_checks')
    .values({ kid: keyring.active, check_value: keyring.seal(CHECK_PLAIN, `data_key_checks:${keyring.active}`), created_at: new Date().toISOString() })
    .onConflict((oc) => oc.column('kid').doNothing())
    .execute();
}

/**
 * Seals every value not yet sealed under the active key: plain text left by builds before
 * encryption at rest (the data migration) and values under an older key (rotation). Each
 * row is replaced only if unchanged since it was read, so several instances may run it.
 */
export interface SealReport {
  sealed: number;
  /** Rows that did not open (tampered): left as they are, never replaced by garbage; named by table, column and row. */
  unreadable: string[];
}

export async function sealDataAtRest(db: Kysely<Database>, keyring: DataKeyring): Promise<SealReport> {
  const loose = db as unknown as Loose;
  let sealed = 0;
  const unreadable: string[] = [];
  for (const c of SEALED_COLUMNS) {
    let after = '';
    for (;;) {
      const rows = await loose
        .selectFrom(c.table)
        .select([`${c.key} as k`, `${c.column} as v`])
        .where(c.column, 'not like', `${sealedPrefix(keyring.active)}%`)
        .where(c.key, '>', after)
        .orderBy(c.key)
        .limit(500)
        .execute();
      for (const row of rows) {
        const context = sealContext(c, row.k!);
        let plain: string;
        try {
          plain = isSealed(row.v!) ? keyring.open(row.v!, context) : row.v!;
        } catch {
          unreadable.push(context);
          continue;
        }
        await loose.updateTable(c.table).set({ [c.column]: keyring.seal(plain, context) }).where(c.key, '=', row.k!).where(c.column, '=', row.v!).execute();
        sealed++;
      }
      if (rows.length < 500) break;
      after = rows.at(-1)!.k!;
    }
  }
  return { sealed, unreadable };
}

/** Start-up step of the central API: the right keys, then nothing left in plain text. */
export async function prepareDataAtRest(db: Kysely<Database>, keyring: DataKeyring): Promise<SealReport> {
  await verifyDataKeys(db, keyring);
  return sealDataAtRest(db, keyring);
}
