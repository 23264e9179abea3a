import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { COUNTER_MIGRATIONS, openCounterDb } from '../roles/counter/counterDb';
import { CallStore } from '../roles/display/callStore';
import { openKioskDb } from '../roles/kiosk/kioskDb';
import { openLockerDb } from '../roles/locker/db';
import { STATION_MIGRATIONS } from './migrations';
import { openStationDb } from './open';

function tempFile(name: string): string {
  return join(mkdtempSync(join(tmpdir(), 'station-open-')), name);
}

/** How each file was opened before openStationDb: its own connection, pragmas and (for some) user_version runner. */
function openTheOldWay(file: string, versioned: readonly string[] = []): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  for (let v = db.pragma('user_version', { simple: true }) as number; v < versioned.length; v++) {
    db.transaction(() => {
      db.exec(versioned[v] ?? '');
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
  return db;
}

const columns = (db: Database.Database, table: string) => (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);

describe('openStationDb', () => {
  it('opens every station file with the same durable settings', () => {
    const db = openStationDb(tempFile('any.db'), []);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    db.close();
  });

  it('runs each migration once, in order, and refuses a file newer than the software', () => {
    const file = tempFile('versioned.db');
    const steps = ['CREATE TABLE a (x INTEGER)', (db: Database.Database) => db.exec('INSERT INTO a VALUES (1)')];
    openStationDb(file, steps).close();
    const db = openStationDb(file, [...steps, 'INSERT INTO a VALUES (2)']);
    expect(db.prepare('SELECT x FROM a ORDER BY x').pluck().all()).toEqual([1, 2]);
    expect(db.pragma('user_version', { simple: true })).toBe(3);
    db.close();
    expect(() => openStationDb(file, steps)).toThrow(/newer than this software/);
  });

  it('carries a station.db made by an earlier version forward', () => {
    const file = tempFile('station.db');
    const old = openTheOldWay(file, STATION_MIGRATIONS.slice(0, 2) as string[]);
    old.prepare(`INSERT INTO meta (key, value) VALUES ('deviceId', 'kiosk-1')`).run();
    old.close();
    const db = openStationDb(file, STATION_MIGRATIONS);
    expect(db.pragma('user_version', { simple: true })).toBe(STATION_MIGRATIONS.length);
    expect(db.prepare(`SELECT value FROM meta WHERE key = 'deviceId'`).pluck().get()).toBe('kiosk-1');
    expect(columns(db, 'outbox')).toContain('heard_log_seq');
    db.close();
  });

  it('carries a counter.db made by an earlier version forward', () => {
    const file = tempFile('counter.db');
    const old = openTheOldWay(file, COUNTER_MIGRATIONS.slice(0, 3));
    old.prepare(`INSERT INTO clerk_cache (login, staff, verifier, updated_at) VALUES ('clerk1', '{}', 'v', 'now')`).run();
    old.close();
    const db = openCounterDb(file);
    expect(db.pragma('user_version', { simple: true })).toBe(COUNTER_MIGRATIONS.length);
    expect(db.prepare('SELECT login FROM clerk_cache').pluck().all()).toEqual(['clerk1']);
    expect(columns(db, 'clerk_cache')).toContain('clerk_key');
    db.close();
  });

  it('opens a kiosk.db made before openStationDb (unversioned, tables made by their owners)', () => {
    const file = tempFile('kiosk.db');
    const old = openTheOldWay(file);
    old.exec(`CREATE TABLE printed_tickets (ticket_id TEXT PRIMARY KEY, day TEXT NOT NULL, number TEXT NOT NULL, ticket TEXT NOT NULL, printed_at TEXT NOT NULL)`);
    old.prepare(`INSERT INTO printed_tickets VALUES ('t1', '2026-03-02', 'A001', '{}', 'now')`).run();
    old.close();
    const db = openKioskDb(file);
    expect(db.prepare('SELECT number FROM printed_tickets').pluck().all()).toEqual(['A001']);
    db.close();
  });

  it('opens a display call store made before openStationDb', () => {
    const file = tempFile('display-calls.sqlite');
    const old = openTheOldWay(file);
    old.exec(`CREATE TABLE IF NOT EXISTS calls (key TEXT PRIMARY KEY, called_at_ms INTEGER NOT NULL, received_at INTEGER NOT NULL, data TEXT NOT NULL, announcement TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS calls_called_at ON calls (called_at_ms);`);
    old.prepare(`INSERT INTO calls VALUES ('k1', 1000, 1001, '{"key":"k1"}', 'played')`).run();
    old.close();
    const store = new CallStore(file);
    expect(store.loadSince(0)).toEqual([{ call: { key: 'k1' }, announcement: 'played', receivedAt: 1001 }]);
    store.close();
  });

  it('opens a locker.sqlite made before openStationDb, adding the delegated-code column an older locker lacks', () => {
    const file = tempFile('locker.sqlite');
    const old = openTheOldWay(file);
    old.pragma('foreign_keys = ON');
    old.exec(`CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE parcels (id TEXT PRIMARY KEY, case_number TEXT NOT NULL, size TEXT NOT NULL, compartment_id TEXT NOT NULL,
        subject TEXT NOT NULL, id_check_salt TEXT NOT NULL, id_check_hash TEXT NOT NULL, masked_name TEXT NOT NULL,
        pickup_code_hash TEXT, status TEXT NOT NULL, deposited_at TEXT, updated_at TEXT NOT NULL);`);
    old.prepare(`INSERT INTO meta VALUES ('secret', 'ab')`).run();
    old.prepare(`INSERT INTO parcels VALUES ('p1', 'C1', 'S', 'A01', 's', 'x', 'y', '张*', NULL, 'deposited', 'now', 'now')`).run();
    old.close();
    const db = openLockerDb(file);
    expect(db.prepare('SELECT id, delegated_code FROM parcels').all()).toEqual([{ id: 'p1', delegated_code: null }]);
    expect(db.prepare(`SELECT value FROM meta WHERE key = 'secret'`).pluck().get()).toBe('ab');
    expect(columns(db, 'door_ops')).toContain('left_open_reported');
    db.close();
    // The next start finds the schema current and changes nothing.
    const again = openLockerDb(file);
    expect(again.pragma('user_version', { simple: true })).toBe(1);
    again.close();
  });
});
