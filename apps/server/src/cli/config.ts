import { z } from 'zod';
import { databaseConfigFromEnv, type DatabaseConfig } from '../db/connection';

export interface StartConfig {
  host: string;
  port: number;
  logLevel: string;
  database: DatabaseConfig;
  seedDemo: boolean;
}

const EnvSchema = z.object({
  HALL_HOST: z.string().min(1).default('127.0.0.1'),
  HALL_PORT: z.coerce.number().int().min(0).max(65_535).default(8080),
  HALL_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Set to 0 to start with an empty database (production). */
  HALL_SEED_DEMO: z.enum(['0', '1']).default('1'),
});

/** Reads the environment once, with messages that name the variable at fault. */
export function startConfigFromEnv(env: NodeJS.ProcessEnv): StartConfig {
  const parsed = EnvSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${issue.path.join('.')}: ${issue.message}`);
  }
  return {
    host: parsed.data.HALL_HOST,
    port: parsed.data.HALL_PORT,
    logLevel: parsed.data.HALL_LOG_LEVEL,
    database: databaseConfigFromEnv(env),
    seedDemo: parsed.data.HALL_SEED_DEMO === '1',
  };
}
