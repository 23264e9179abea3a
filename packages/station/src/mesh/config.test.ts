import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileBootStore, nextBootNumber } from './boot';
import { MESH_DEFAULT_PORT, MeshConfigSchema } from './config';

describe('mesh config', () => {
  it('fills defaults', () => {
    expect(MeshConfigSchema.parse({ peers: [{ host: '10.0.0.5' }] })).toEqual({ port: MESH_DEFAULT_PORT, bind: '0.0.0.0', peers: [{ host: '10.0.0.5', port: MESH_DEFAULT_PORT }] });
  });

  it('refuses a key in the config: it comes from the central API', () => {
    expect(MeshConfigSchema.safeParse({ key: 'a'.repeat(64) }).success).toBe(false);
    expect(MeshConfigSchema.safeParse({ peers: [{ host: 'x', port: 1, key: 'k' }] }).success).toBe(false);
  });
});

describe('boot numbers', () => {
  it('grow at every start, across store instances, whatever the clock does', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'mesh-boot-')), 'sub', 'boot');
    let clock = Date.parse('2026-03-02T09:00:00Z');
    const first = fileBootStore(file, () => clock).next();
    clock -= 3_600_000; // the clock was set back an hour
    const second = fileBootStore(file, () => clock).next();
    const third = fileBootStore(file, () => clock).next();
    expect(second).toBeGreaterThan(first);
    expect(third).toBeGreaterThan(second);
  });

  it('comes back above the remembered boot after the store was wiped, thanks to the clock floor', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'mesh-boot-')), 'boot');
    writeFileSync(file, 'garbage');
    expect(fileBootStore(file, () => 5000).next()).toBe(5);
    expect(nextBootNumber(41, 0)).toBe(42);
    expect(nextBootNumber(0, Date.parse('2026-03-02T09:00:00Z'))).toBeGreaterThan(1_700_000_000);
  });
});
