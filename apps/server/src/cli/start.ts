import { buildServer, API_PREFIX } from '../app';
import { openDatabase } from '../db/connection';
import { migrate } from '../db/migrate';
import { demoHall } from '../demo/index';
import { seedDemoHallIfEmpty } from '../demo/seed';
import { loggerOptions } from '../http/logging';
import { dataKeysFromEnv } from '../secrets/config';
import { getHall } from '../store/halls';
import { startConfigFromEnv } from './config';

async function main(): Promise<void> {
  const config = startConfigFromEnv(process.env);
  const database = openDatabase(config.database);
  // Before migrating: an instance without its data key changes nothing.
  const dataKeys = await dataKeysFromEnv(process.env, database);
  const migrated = await migrate(database);
  const demo = config.seedDemo ? demoHall : undefined;
  const seeded = demo ? await seedDemoHallIfEmpty(database.db, demo) : undefined;

  const app = await buildServer({ database, logger: loggerOptions(config.logLevel), dataKeys: dataKeys.keyring });
  const shutdown = async (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));

  const address = await app.listen({ host: config.host, port: config.port });
  const base = `${address}${API_PREFIX}`;
  const lines = [
    '',
    `Hall central API ${app.hall.version} is listening on ${address}`,
    `  database:  ${database.description}${migrated.applied.length ? ` (migrated: ${migrated.applied.join(', ')})` : ''}`,
    `  data keys: ${dataKeys.description} (active "${dataKeys.keyring.active}")`,
    `  health:    ${base}/health`,
    `  services:  ${base}/services`,
    `  halls:     ${base}/halls`,
    `  websocket: ${base.replace(/^http/, 'ws')}/ws (Authorization: Bearer <token>)`,
  ];
  if (seeded) lines.push(`  seeded demo hall ${seeded.hallId}: ${seeded.services} services, ${seeded.queues} queues, ${seeded.counters} counters, ${seeded.staff} staff`);
  if (demo && (await getHall(database.db, demo.hall.id))) {
    lines.push('', `Demo logins (POST ${base}/auth/login with {"login","password"}):`);
    for (const staff of demo.staff) lines.push(`  ${staff.login.padEnd(14)} ${staff.demoPassword.padEnd(18)} ${staff.roles.join(', ')}`);
  }
  console.log(lines.join('\n'));
}

main().catch((error: unknown) => {
  console.error(`hall server failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
