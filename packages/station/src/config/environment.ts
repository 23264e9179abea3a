import { z } from 'zod';
import type { StationConfig } from './schema';
import { loadStationConfig } from './load';

/*
 * Every environment variable a station reads, in one schema: loadStationSetup reads the
 * environment once at start and hands the validated values on; no other station file (nor
 * any device driver) looks at process.env. The README's "Stations (environment)" table documents the same
 * names (a unit test keeps the two in step).
 */

/** Unset and empty are the same: `HALL_X=` in a script or a test switches a variable off. */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === '' ? undefined : value), schema.optional());
const text = optional(z.string());
const number = optional(z.coerce.number().finite());
const port = optional(z.coerce.number().int().min(0).max(65535));
/** A switch is on only when set to `1`, as the scripts and tests set it. */
const flag = z.preprocess((value) => value === '1', z.boolean());

export const StationEnvironmentSchema = z.object({
  HALL_STATION_CONFIG: text,
  HALL_DISPLAY_CONFIG: text,
  HALL_ID: text,
  HALL_DEVICE_ID: text,
  HALL_API_URL: text,
  HALL_ENROLLMENT_CODE: text,
  HALL_KIOSK_DATA_DIR: text,
  HALL_KIOSK_PORT: port,
  HALL_DISPLAY_DATA_DIR: text,
  HALL_DISPLAY_PORT: port,
  HALL_ID_HASH_KEY: text,
  HALL_LAN_KEY: text,
  HALL_LAN_PORT: port,
  HALL_LAN_PEERS: text,
  HALL_DISPLAY_ENGLISH: flag,
  HALL_KIOSK_A4_PRINTER: text,
  HALL_KIOSK_IGNORE_HOURS: flag,
  HALL_KIOSK_SYNC_POLL_MS: optional(z.coerce.number().int().positive()),
  HALL_KIOSK_CLOCK_OFFSET_MS: number,
  HALL_KIOSK_VOICE_ELDERLY: flag,
  HALL_DEMO_LOGIN: z.preprocess((value) => (value === '' ? undefined : value), z.string().default('hallmanager')),
  HALL_DEMO_PASSWORD: z.preprocess((value) => (value === '' ? undefined : value), z.string().default('demo-hallmanager')),
  HALL_SANE_DEVICE: text,
  HALL_SANE_CONFIG_DIR: text,
  NODE_ENV: text,
});

/** The station's environment, validated: variable names kept, so a reader can grep a script's setting to its use. */
export type StationEnvironment = z.infer<typeof StationEnvironmentSchema>;

/** The variables the stations read (the README table lists exactly these). */
export const STATION_ENVIRONMENT_VARIABLES = Object.keys(StationEnvironmentSchema.shape) as (keyof StationEnvironment)[];

export class EnvironmentError extends Error {
  constructor(problems: string[]) {
    super(`invalid station environment:\n  ${problems.join('\n  ')}`);
    this.name = 'EnvironmentError';
  }
}

/** Validates the variables the stations know; anything else in the environment is not theirs and is ignored. */
export function readStationEnvironment(env: Record<string, string | undefined>): StationEnvironment {
  const parsed = StationEnvironmentSchema.safeParse(env);
  if (!parsed.success) throw new EnvironmentError(parsed.error.issues.map((issue) => `${issue.path.map(String).join('.')}: ${issue.message}`));
  return parsed.data;
}

export interface StationSetup {
  config: StationConfig;
  env: StationEnvironment;
}

export interface StationSetupSources {
  /** The config file this entry runs from (its argument, HALL_STATION_CONFIG …); undefined: the developer station. */
  configFile(env: StationEnvironment): string | undefined;
  /** The station a developer gets without a config file; absent: the entry needs a file. */
  developer?(env: StationEnvironment): StationConfig;
}

/**
 * What an entry point does once at start: this process's environment validated (tests pass
 * one of their own), and the station's config from its file or the developer defaults.
 */
export function loadStationSetup(sources: StationSetupSources, rawEnv: Record<string, string | undefined> = process.env): StationSetup {
  const env = readStationEnvironment(rawEnv);
  const file = sources.configFile(env);
  if (file) return { config: loadStationConfig(file), env };
  if (!sources.developer) throw new Error('no station config file given');
  return { config: sources.developer(env), env };
}

/**
 * The environment a program the station starts runs in (scanimage): this process's own,
 * which it would inherit anyway, with the station's overrides on top.
 */
export function childProcessEnvironment(overrides: Readonly<Record<string, string>>): Record<string, string | undefined> {
  return { ...process.env, ...overrides };
}
