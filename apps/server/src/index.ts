/**
 * The central API's public surface for other workspaces (cross-package tests, benches).
 * Deeper modules are reachable as `@hall/server/<path>` (e.g. `@hall/server/testing/databases`).
 */
export { API_PREFIX, BODY_LIMIT_BYTES, buildServer, type BuildServerOptions } from './app';
export type { Clock, ServerContext } from './context';
export {
  databaseConfigFromEnv,
  openDatabase,
  type DatabaseConfig,
  type DialectName,
  type HallDatabase,
} from './db/connection';
export { migrate, type MigrationReport } from './db/migrate';
export type { Database } from './db/schema';
export { seedDemoHall, seedDemoHallIfEmpty, type SeedReport } from './demo/seed';
export { loggerOptions } from './http/logging';
export type { DevicePrincipal, Principal, StaffPrincipal } from './http/principal';
