import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { sql } from 'kysely';
import type { HallDatabase } from '../db/connection';
import { DataKeyError, DataKeyring, newDataKey, parseDataKeys } from './keyring';

export interface DataKeySource {
  keyring: DataKeyring;
  /** Where the keys came from, for the start banner (never the keys). */
  description: string;
}

/** The key file a developer's embedded SQLite database gets: beside it, never inside it. */
export function defaultKeyFile(sqliteFile: string): string {
  return `${sqliteFile}.data-key`;
}

function readKeyFile(file: string): DataKeyring {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new DataKeyError(`HALL_DATA_KEY_FILE ${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  // Like ssh with a private key: a key others can read is refused, not used.
  if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) {
    throw new DataKeyError(`data key file ${file} is readable by group or others; chmod 600 it`);
  }
  return new DataKeyring(parseDataKeys(text, file));
}

async function sqliteFileOf(database: HallDatabase): Promise<string> {
  const rows = await sql<{ file: string }>`select file from pragma_database_list where name = 'main'`.execute(database.db);
  return rows.rows[0]?.file ?? '';
}

/**
 * The data-encryption keys, from HALL_DATA_KEYS ("id:base64key,…", first = active) or
 * HALL_DATA_KEY_FILE (the same entries, one per line, mode 0600). Without either, an
 * embedded SQLite database gets a generated key in a 0600 file beside it (developer and
 * demo setups); PostgreSQL (production) refuses to start.
 */
export async function dataKeysFromEnv(env: NodeJS.ProcessEnv, database: HallDatabase): Promise<DataKeySource> {
  const inline = env.HALL_DATA_KEYS?.trim();
  const file = env.HALL_DATA_KEY_FILE?.trim();
  if (inline && file) throw new DataKeyError('set HALL_DATA_KEYS or HALL_DATA_KEY_FILE, not both');
  if (inline) return { keyring: new DataKeyring(parseDataKeys(inline, 'HALL_DATA_KEYS')), description: 'HALL_DATA_KEYS' };
  if (file) return { keyring: readKeyFile(file), description: file };
  if (database.dialect === 'postgres') {
    throw new DataKeyError(
      'PostgreSQL needs an explicit data-encryption key: set HALL_DATA_KEY_FILE (or HALL_DATA_KEYS) to "id:base64key" entries; generate one with: echo "k1:$(openssl rand -base64 32)"',
    );
  }
  const sqliteFile = await sqliteFileOf(database);
  if (sqliteFile === '') return { keyring: new DataKeyring(parseDataKeys(newDataKey('memory'), 'generated')), description: 'generated for this in-memory database' };
  const keyFile = defaultKeyFile(sqliteFile);
  if (!existsSync(keyFile)) {
    // 'wx': two processes starting on one new file cannot both write a key.
    try {
      writeFileSync(keyFile, `# data-encryption key of ${sqliteFile}; losing it loses the phone numbers and signing keys\n${newDataKey('local1')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return { keyring: readKeyFile(keyFile), description: keyFile };
}
