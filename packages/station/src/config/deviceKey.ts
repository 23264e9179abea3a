import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DeviceKeySchema, type DeviceKey } from '@hall/shared';
import { writeSecretFileDurably } from './durableFile';
import type { StationConfig } from './schema';

/** Beside the credential it belongs to: a re-enrolled station fetches a new one. */
export function deviceKeyPath(config: StationConfig): string {
  return join(dirname(config.enrollment.credentialPath), 'device-key.json');
}

export function readDeviceKey(config: StationConfig): DeviceKey | undefined {
  const path = deviceKeyPath(config);
  if (!existsSync(path)) return undefined;
  try {
    const parsed = DeviceKeySchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Written atomically and durably (fsync of the file and its directory), readable by the owner only, like the credential. */
export function writeDeviceKey(config: StationConfig, key: DeviceKey): void {
  writeSecretFileDurably(deviceKeyPath(config), `${JSON.stringify(key)}\n`);
}
