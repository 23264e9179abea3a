// Online backup of a station's (or a SQLite central API's) database while it runs:
//   npx tsx deploy/backup/sqlite-backup.ts /var/lib/hall/kiosk/station.db /backup/kiosk-$(date +%F).db
// SQLite's online backup API copies a consistent snapshot page by page without stopping
// writers (WAL mode); copying the file with cp could catch a half-applied transaction.
import Database from 'better-sqlite3';
import { fileURLToPath } from 'node:url';

export async function backupSqlite(source: string, destination: string): Promise<{ pages: number }> {
  const db = new Database(source, { fileMustExist: true });
  try {
    const result = await db.backup(destination);
    const check = new Database(destination, { readonly: true });
    try {
      const verdict = check.pragma('integrity_check', { simple: true });
      if (verdict !== 'ok') throw new Error(`backup ${destination} failed its integrity check: ${String(verdict)}`);
    } finally {
      check.close();
    }
    return { pages: result.totalPages };
  } finally {
    db.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [source, destination] = process.argv.slice(2);
  if (!source || !destination) {
    process.stderr.write('usage: sqlite-backup.ts <database> <backup file>\n');
    process.exit(2);
  }
  const { pages } = await backupSqlite(source, destination);
  process.stdout.write(`backed up ${pages} pages of ${source} to ${destination}\n`);
}
