import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ServiceSchema, type Service } from '@hall/shared';
import { BACKENDS } from '../testing/databases';
import { fixtureHall } from '../testing/fixture';
import { startTestServer, type TestServer } from '../testing/server';
import { updateService } from '../store/catalogue';

const pgUrl = inject('postgresUrl');

describe.each(BACKENDS)('catalogue reads on %s', (dialect) => {
  let server: TestServer;
  const get = (url: string) => server.app.inject({ method: 'GET', url: `/api/v1${url}` });
  beforeAll(async () => {
    server = await startTestServer(dialect, pgUrl);
  });
  afterAll(async () => server.dispose());

  it('reports health and readiness with the backend in use', async () => {
    const health = await get('/health');
    expect(health.statusCode).toBe(200);
    expect(health.json()).toMatchObject({ status: 'ok', db: { dialect, reachable: true }, version: expect.any(String) });
    expect((await get('/ready')).json()).toEqual({ ready: true });
  });

  it('lists halls and returns one with its calling rules', async () => {
    expect((await get('/halls')).json().halls.map((h: { id: string }) => h.id)).toEqual(['t1-hall', 't2-hall']);
    const hall = (await get('/halls/t1-hall')).json();
    expect(hall.hall).toEqual(fixtureHall('t1').hall);
    expect(hall.callingRules).toEqual(fixtureHall('t1').callingRules);
    expect((await get('/departments?hallId=t2-hall')).json().departments).toEqual(fixtureHall('t2').departments);
  });

  it('serves services with guide, materials and decision tree', async () => {
    const all = (await get('/services')).json().services as Service[];
    expect(all).toHaveLength(4);
    const one = (await get('/services/t1-svc-1')).json().service as Service;
    expect(one).toEqual(ServiceSchema.parse(fixtureHall('t1').services[0]));
    expect(one.decisionTree?.questions.map((q) => q.id)).toEqual(['q-who', 'q-relation']);
    expect(one.materials.map((m) => m.id)).toEqual(['m-id', 'm-hukou', 'm-proxy']);
  });

  it('keeps 容缺受理 (accept with materials pending) when a service is saved', async () => {
    const one = (await get('/services/t1-svc-2')).json().service as Service;
    expect(one.acceptWithPendingMaterials).toBeUndefined();
    await updateService(server.db.database.db, { ...one, acceptWithPendingMaterials: true }, new Date('2026-03-02T08:00:00Z'));
    expect(((await get('/services/t1-svc-2')).json().service as Service).acceptWithPendingMaterials).toBe(true);
    await updateService(server.db.database.db, one, new Date('2026-03-02T08:01:00Z'));
    expect(((await get('/services/t1-svc-2')).json().service as Service).acceptWithPendingMaterials).toBeUndefined();
  });

  it('filters services by hall, department, theme and text', async () => {
    const ids = async (query: string) => ((await get(`/services?${query}`)).json().services as Service[]).map((s) => s.id);
    expect(await ids('hallId=t2-hall')).toEqual(['t2-svc-1', 't2-svc-2']);
    expect(await ids('departmentId=t1-dept')).toEqual(['t1-svc-1', 't1-svc-2']);
    expect(await ids('hallId=t1-hall&theme=%E6%88%B7%E7%B1%8D')).toEqual(['t1-svc-2']);
    expect(await ids('hallId=t1-hall&q=HJZM')).toEqual(['t1-svc-1', 't1-svc-2']);
    expect(await ids('hallId=t1-hall&q=%E6%88%B7%E7%B1%8D%E8%AF%81%E6%98%8E2')).toEqual(['t1-svc-2']);
    expect(await ids('q=%25_')).toEqual([]);
    expect(await ids('q=%25zz%25')).toEqual([]);
  });

  it('lists themes with service counts', async () => {
    expect((await get('/themes?hallId=t1-hall')).json().themes).toEqual([
      { theme: '出入境', serviceCount: 1 },
      { theme: '户籍', serviceCount: 1 },
    ].sort((a, b) => (a.theme < b.theme ? -1 : 1)));
  });

  it('serves forms, latest and by version', async () => {
    const form = fixtureHall('t1').forms[0]!;
    expect((await get('/forms')).json().forms.map((f: { id: string }) => f.id)).toEqual(['t1-form', 't2-form']);
    expect((await get('/forms/t1-form')).json().form).toEqual(form);
    expect((await get('/forms/t1-form/versions/1')).json().form).toEqual(form);
    expect((await get('/forms/t1-form/versions/2')).statusCode).toBe(404);
  });

  it('lists counters with services by priority, and queues', async () => {
    const counters = (await get('/halls/t1-hall/counters')).json().counters;
    expect(counters.map((c: { number: string }) => c.number)).toEqual(['1', '2']);
    expect(counters[1].services).toEqual([
      { serviceId: 't1-svc-2', priority: 1 },
      { serviceId: 't1-svc-1', priority: 2 },
    ]);
    expect(counters[1].state).toEqual({ status: 'closed' });
    expect((await get('/counters/t1-c1')).json().counter.queueIds).toEqual(['t1-qa']);
    expect((await get('/halls/t1-hall/queues')).json().queues).toEqual(fixtureHall('t1').queues);
    expect((await get('/queues/t1-qb')).json().queue.prefix).toBe('B');
  });

  it('answers unknown ids with 404 and a JSON error', async () => {
    for (const url of ['/services/nope', '/halls/nope', '/forms/nope', '/counters/nope', '/queues/nope', '/halls/nope/counters', '/halls/nope/queues']) {
      const response = await get(url);
      expect(response.statusCode, url).toBe(404);
      expect(response.json().error.code, url).toBe('not_found');
    }
  });

  it('keeps staff lists and appointments behind authentication', async () => {
    expect((await get('/halls/t1-hall/staff')).statusCode).toBe(401);
    expect((await get('/halls/t1-hall/appointments?date=2026-01-05')).statusCode).toBe(401);
  });
});
