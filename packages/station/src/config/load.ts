import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { z } from 'zod';
import { StationConfigSchema, type StationConfig } from './schema';

/** Why a LAN key in a config file is refused (station and display configs alike). */
export const LAN_KEY_NOT_IN_CONFIG =
  'the hall LAN key is never written in a config file: the central API hands it to the station at enrollment (written to enrollment.lanKeysPath, default "lan-keys" beside the credential) and after each rotation in the console';

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`invalid station config ${file}:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

function describe(issue: z.core.$ZodIssue): string {
  const where = issue.path.length ? issue.path.map(String).join('.') : '(root)';
  if (issue.code === 'unrecognized_keys') return `${where}: unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  return `${where}: ${issue.message}`;
}

/** Fields someone might put the hall LAN key in; named in the refusal so the fix is obvious. */
const LAN_KEY_FIELDS = ['lan', 'lanKey', 'lanKeys', 'hallLanKey'] as const;

/** Validates a parsed config object; every problem is reported with the field that has it. */
export function parseStationConfig(raw: unknown, file = '(config)'): StationConfig {
  if (raw !== null && typeof raw === 'object') {
    const found = LAN_KEY_FIELDS.filter((field) => field in raw);
    if (found.length > 0) throw new ConfigError(file, found.map((field) => `${field}: ${LAN_KEY_NOT_IN_CONFIG}`));
  }
  const parsed = StationConfigSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(file, parsed.error.issues.map(describe));
  const config = parsed.data;
  // Relative paths are relative to the config file, not to wherever the app was started.
  const base = file === '(config)' ? process.cwd() : dirname(resolve(file));
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(base, p));
  return {
    ...config,
    dataDir: abs(config.dataDir),
    enrollment: {
      ...config.enrollment,
      credentialPath: abs(config.enrollment.credentialPath),
      citizenKeyPath: config.enrollment.citizenKeyPath ? abs(config.enrollment.citizenKeyPath) : join(dirname(abs(config.enrollment.credentialPath)), 'citizen-key'),
      lanKeysPath: config.enrollment.lanKeysPath ? abs(config.enrollment.lanKeysPath) : join(dirname(abs(config.enrollment.credentialPath)), 'lan-keys'),
    },
    host: { ...config.host, ...(config.host.rendererDir ? { rendererDir: abs(config.host.rendererDir) } : {}) },
  };
}

export function loadStationConfig(file: string): StationConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(file, [`cannot read file: ${(error as NodeJS.ErrnoException).code ?? String(error)}`]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(file, [`not valid JSON: ${(error as Error).message}`]);
  }
  return parseStationConfig(raw, file);
}
