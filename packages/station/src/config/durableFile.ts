import { closeSync, fchmodSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Writes a secret file (the device credential, the citizen-hash key, the hall LAN key
 * ring) so that it survives a power cut the moment this returns: the text goes to a
 * temporary file readable by the owner only, which is fsynced, renamed over the target, and
 * then the directory is fsynced so the rename itself is on disk. A crash at any point leaves
 * either the old file or the new one, never an empty or half-written one.
 *
 * Windows cannot open a directory to fsync it; there NTFS journals the rename itself.
 */
export function writeSecretFileDurably(path: string, text: string): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    // The mode of an existing .tmp left by a crash is not changed by open: set it here.
    fchmodSync(fd, 0o600);
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  syncDirectory(dir);
}

function syncDirectory(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
