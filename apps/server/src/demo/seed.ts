import type { Kysely } from 'kysely';
import { hashPassword } from '../auth/password';
import type { Database } from '../db/schema';
import { serviceProblems } from '../rules/service';
import { recordAudit } from '../store/audit';
import { insertForm, insertService } from '../store/catalogue';
import { countHalls, insertDepartment, insertHall, putCallingRules } from '../store/halls';
import { insertCounter, insertQueue } from '../store/layout';
import { insertStaff } from '../store/staff';
import type { DemoHall } from './types';

export interface SeedReport {
  hallId: string;
  services: number;
  counters: number;
  queues: number;
  staff: number;
}

/**
 * Writes a demo hall in one transaction: a half-seeded hall never exists. Every record
 * passes the same schemas and cross-checks as the admin API, so bad demo data fails here
 * with the offending id rather than later on a kiosk.
 */
export async function seedDemoHall(db: Kysely<Database>, demo: DemoHall, at: Date = new Date()): Promise<SeedReport> {
  for (const service of demo.services) {
    const problems = serviceProblems(service);
    if (problems.length > 0) throw new Error(`demo service ${service.id}: ${problems.join('; ')}`);
  }
  // Hash before the transaction: scrypt is slow and SQLite has a single writer.
  const hashes = await Promise.all(demo.staff.map((s) => hashPassword(s.demoPassword)));
  await db.transaction().execute(async (trx) => {
    await insertHall(trx, demo.hall, at);
    for (const department of demo.departments) await insertDepartment(trx, department);
    for (const queue of demo.queues) await insertQueue(trx, queue, at);
    await putCallingRules(trx, demo.hall.id, demo.callingRules, at);
    for (const form of demo.forms) await insertForm(trx, form, at);
    for (const service of demo.services) await insertService(trx, service, at);
    for (const counter of demo.counters) await insertCounter(trx, counter, at);
    for (const [i, member] of demo.staff.entries()) {
      const { demoPassword: _password, ...staff } = member;
      await insertStaff(trx, staff, hashes[i]!, at);
    }
    await recordAudit(
      trx,
      { actor: { kind: 'system', id: 'demo-seeder' }, action: 'seed', entity: 'hall', entityId: demo.hall.id, hallId: demo.hall.id },
      at,
    );
  });
  return {
    hallId: demo.hall.id,
    services: demo.services.length,
    counters: demo.counters.length,
    queues: demo.queues.length,
    staff: demo.staff.length,
  };
}

/** Seeds only a database without halls, so restarts and real deployments are untouched. */
export async function seedDemoHallIfEmpty(db: Kysely<Database>, demo: DemoHall, at?: Date): Promise<SeedReport | undefined> {
  if ((await countHalls(db)) > 0) return undefined;
  return seedDemoHall(db, demo, at);
}
