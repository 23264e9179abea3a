import { afterEach, describe, expect, inject, it } from 'vitest';
import { ServiceSchema } from '@hall/shared';
import { listAudit } from '../store/audit';
import { getForm, getService, listServices } from '../store/catalogue';
import { getCallingRules, getHall, listDepartments } from '../store/halls';
import { listCounters, listQueues } from '../store/layout';
import { getCredentialsByLogin, listStaff } from '../store/staff';
import { verifyPassword } from '../auth/password';
import { BACKENDS, openTestDatabase, type TestDatabase } from '../testing/databases';
import { FIXTURE_PASSWORD, fixtureHall, fixtureService } from '../testing/fixture';
import { demoHall } from './index';
import { seedDemoHall, seedDemoHallIfEmpty } from './seed';

const pgUrl = inject('postgresUrl');

describe.each(BACKENDS)('demo seeder on %s', (dialect) => {
  let opened: TestDatabase | undefined;
  const fresh = async () => (opened = await openTestDatabase(dialect, pgUrl));
  afterEach(async () => {
    await opened?.dispose();
    opened = undefined;
  });

  it('stores a hall that reads back exactly as given', async () => {
    const { db } = (await fresh()).database;
    const demo = fixtureHall('s1', { withCityAdmin: true });
    const report = await seedDemoHall(db, demo);
    expect(report).toEqual({ hallId: 's1-hall', services: 2, counters: 2, queues: 2, staff: 3 });

    expect(await getHall(db, 's1-hall')).toEqual(demo.hall);
    expect(await listDepartments(db, 's1-hall')).toEqual(demo.departments);
    expect(await listQueues(db, 's1-hall')).toEqual(demo.queues);
    expect(await getCallingRules(db, 's1-hall')).toEqual(demo.callingRules);
    expect(await getForm(db, 's1-form')).toEqual(demo.forms[0]);
    for (const service of demo.services) expect(await getService(db, service.id)).toEqual(ServiceSchema.parse(service));
    const counters = await listCounters(db, 's1-hall');
    expect(counters.map(({ state: _state, ...c }) => ({ ...c, services: [...c.services] }))).toEqual(
      demo.counters.map((c) => ({ ...c, services: [...c.services].sort((a, b) => a.priority - b.priority) })),
    );
    expect(counters.every((c) => c.state.status === 'closed')).toBe(true);

    const staff = await listStaff(db, 's1-hall');
    expect(staff.map((s) => s.login).sort()).toEqual(['s1-clerk', 's1-manager']);
    expect(JSON.stringify(staff)).not.toContain('scrypt');
    const credentials = await getCredentialsByLogin(db, 's1-manager');
    expect(credentials?.passwordHash).toMatch(/^scrypt\$/);
    expect(await verifyPassword(FIXTURE_PASSWORD, credentials!.passwordHash)).toBe(true);
    expect(await verifyPassword('wrong-password', credentials!.passwordHash)).toBe(false);

    const audit = await listAudit(db, { entity: 'hall' });
    expect(audit).toMatchObject([{ action: 'seed', entityId: 's1-hall', actor: { kind: 'system' } }]);
  });

  it('seeds only an empty database', async () => {
    const { db } = (await fresh()).database;
    expect(await seedDemoHallIfEmpty(db, fixtureHall('s1'))).toBeDefined();
    expect(await seedDemoHallIfEmpty(db, fixtureHall('s2'))).toBeUndefined();
    expect(await getHall(db, 's2-hall')).toBeUndefined();
  });

  it('writes nothing when any record is bad', async () => {
    const { db } = (await fresh()).database;
    const demo = fixtureHall('s1');
    // The second service's queue does not exist: a foreign-key failure half-way through.
    demo.services.push(fixtureService('s1', 3, { id: 's1-svc-3', code: 'X-3', queueId: 'no-such-queue' }));
    await expect(seedDemoHall(db, demo)).rejects.toThrow();
    expect(await getHall(db, 's1-hall')).toBeUndefined();
    expect(await listServices(db)).toEqual([]);
  });

  it('refuses a service whose decision tree points nowhere', async () => {
    const { db } = (await fresh()).database;
    const demo = fixtureHall('s1');
    const tree = demo.services[0]!.decisionTree!;
    tree.situations[0]!.materialIds.push('m-missing');
    await expect(seedDemoHall(db, demo)).rejects.toThrow(/m-missing/);
    expect(await getHall(db, 's1-hall')).toBeUndefined();
  });

  it('seeds the real demo hall', async () => {
    const { db } = (await fresh()).database;
    const report = await seedDemoHall(db, demoHall);
    expect(report.services).toBeGreaterThanOrEqual(12);
    expect((await listServices(db, { hallId: report.hallId })).length).toBe(report.services);
    expect((await listCounters(db, report.hallId)).length).toBe(report.counters);
  });
});
