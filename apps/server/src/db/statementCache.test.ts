import SqliteDatabase from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { cachingStatements } from './statementCache';

function database() {
  const raw = new SqliteDatabase(':memory:');
  raw.exec('CREATE TABLE t (v INTEGER)');
  raw.exec('INSERT INTO t (v) VALUES (1), (2), (3)');
  return raw;
}

describe('cachingStatements', () => {
  it('hands out the compiled statement again for the same SQL, and runs it with new parameters', () => {
    const db = cachingStatements(database());
    const first = db.prepare('SELECT v FROM t WHERE v >= ? ORDER BY v');
    expect(db.prepare('SELECT v FROM t WHERE v >= ? ORDER BY v')).toBe(first);
    expect(first.all(2)).toEqual([{ v: 2 }, { v: 3 }]);
    expect(db.prepare('SELECT v FROM t WHERE v >= ? ORDER BY v').all(3)).toEqual([{ v: 3 }]);
    db.close();
  });

  it('prepares a fresh statement while the cached one is still being iterated', () => {
    const db = cachingStatements(database());
    const sql = 'SELECT v FROM t ORDER BY v';
    const outer = db.prepare(sql);
    const seen: number[] = [];
    for (const row of outer.iterate() as Iterable<{ v: number }>) {
      const inner = db.prepare(sql);
      expect(inner).not.toBe(outer);
      seen.push(row.v, (inner.all() as { v: number }[]).length);
    }
    expect(seen).toEqual([1, 3, 2, 3, 3, 3]);
    db.close();
  });

  it('keeps at most its capacity, dropping the least recently used', () => {
    const db = cachingStatements(database(), 2);
    const a = db.prepare('SELECT 1');
    const b = db.prepare('SELECT 2');
    expect(db.prepare('SELECT 1')).toBe(a);
    db.prepare('SELECT 3');
    expect(db.prepare('SELECT 1')).toBe(a);
    expect(db.prepare('SELECT 2')).not.toBe(b);
    db.close();
  });

  it('sees a column added after the statement was cached', () => {
    const raw = database();
    const db = cachingStatements(raw);
    expect(db.prepare('SELECT * FROM t LIMIT 1').get()).toEqual({ v: 1 });
    raw.exec('ALTER TABLE t ADD COLUMN w INTEGER DEFAULT 7');
    expect(db.prepare('SELECT * FROM t LIMIT 1').get()).toEqual({ v: 1, w: 7 });
    db.close();
  });

  it('compiles a long statement each time instead of keeping it', () => {
    const db = cachingStatements(database(), 8, 40);
    const long = `SELECT v FROM t WHERE v IN (${Array.from({ length: 20 }, () => '?').join(', ')})`;
    expect(db.prepare(long)).not.toBe(db.prepare(long));
    expect(db.prepare('SELECT v FROM t')).toBe(db.prepare('SELECT v FROM t'));
    db.close();
  });

  it('closes the database', () => {
    const raw = database();
    cachingStatements(raw).close();
    expect(raw.open).toBe(false);
  });
});
