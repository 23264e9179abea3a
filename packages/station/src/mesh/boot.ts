import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';

/** Hands out the sender's boot number: strictly greater at every start, persisted before use. */
export interface MeshBootStore {
  next(): number;
}

/**
 * The boot after `previous`. The clock only raises the floor (seconds since 1970), so a
 * station whose store was wiped comes back above the boot its peers remember instead of
 * being refused as an old boot until they restart. Replay protection never depends on the
 * clock: with a clock far behind, the persisted number alone still grows.
 */
export function nextBootNumber(previous: number, nowMs: number): number {
  const floor = Number.isFinite(nowMs) && nowMs > 0 ? Math.floor(nowMs / 1000) : 0;
  return Math.max(previous + 1, floor);
}

function readBoot(file: string): number {
  try {
    const value = Number(readFileSync(file, 'utf8').trim());
    return Number.isSafeInteger(value) && value > 0 ? value : 0;
  } catch {
    return 0;
  }
}

/**
 * A boot store in a small file, for stations and tools without the station DB (the
 * station itself keeps its boot in the DB meta table). Writes a temporary file, fsyncs and
 * renames, so a crash never leaves a smaller or torn number behind.
 */
export function fileBootStore(file: string, now: () => number = Date.now): MeshBootStore {
  return {
    next() {
      const boot = nextBootNumber(readBoot(file), now());
      mkdirSync(path.dirname(file), { recursive: true });
      const temporary = `${file}.${process.pid}.tmp`;
      const fd = openSync(temporary, 'w');
      try {
        writeSync(fd, `${boot}\n`);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(temporary, file);
      return boot;
    },
  };
}
