import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Service, ServiceDiff, SharedMaterial } from '@hall/shared';
import { BACKENDS } from '../testing/databases';
import { bearer, startTestServer, type TestServer } from '../testing/server';
import { loadCatalogue } from '../sync/catalogue';
import { MATERIAL_SHEET, SERVICE_SHEET } from './excel';

const pgUrl = inject('postgresUrl');

const idCard: SharedMaterial = { id: 'lib-idcard', name: '居民身份证', originals: 1, copies: 1, form: 'paper', reviewPoints: ['在有效期内'] };
const hukou: SharedMaterial = { id: 'lib-hukou', name: '户口簿', originals: 1, copies: 0, form: 'paper', reviewPoints: [] };

function newService(id: string, overrides: Partial<Service> = {}): Service {
  return {
    id,
    code: `CODE-${id}`,
    name: { zh: `测试事项${id}` },
    departmentId: 't1-dept',
    queueId: 't1-qa',
    theme: '证明',
    tags: ['高频'],
    keywords: [],
    guide: {
      handlingAuthority: '某市公安局户政科',
      conditions: ['本市户籍人员'],
      legalBasis: ['《户口登记条例》'],
      statutoryDays: 5,
      promisedDays: 1,
      fees: { free: true, description: '不收费' },
      place: '一楼综合窗口',
      processSteps: ['受理', '审核', '办结'],
      applicants: 'person',
      onlineAvailable: false,
    },
    materials: [
      { id: 'm-card', name: '身份证（旧名，由材料库覆盖）', originals: 0, copies: 0, form: 'paper', required: true, reviewPoints: [], sharedId: idCard.id },
      { id: 'm-photo', name: '近期免冠照片', originals: 2, copies: 0, form: 'paper', required: true, reviewPoints: [] },
    ],
    ...overrides,
  };
}

describe.each(BACKENDS)('the catalogue in the console on %s', (dialect) => {
  let server: TestServer;
  let auth: Record<string, string>;
  const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown, headers = auth) =>
    server.app.inject({ method, url: `/api/v1${url}`, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
  const service = async (id: string) => (await call('GET', `/services/${id}`)).json().service as Service;

  beforeAll(async () => {
    server = await startTestServer(dialect, pgUrl);
    auth = bearer(await server.login('t1-manager'));
  });
  afterAll(async () => server.dispose());

  it('draws a shared material into every service using it, and an edit of it reaches them all and the stations', async () => {
    expect((await call('PUT', `/catalogue/halls/t1-hall/shared-materials/${idCard.id}`, idCard)).statusCode).toBe(200);
    expect((await call('PUT', `/catalogue/halls/t1-hall/shared-materials/${hukou.id}`, hukou)).statusCode).toBe(200);
    // svc-a draws a second entry too: an edit of the first must redraw it with the whole library at hand.
    const withHukou = newService('svc-a');
    withHukou.materials.push({ ...hukou, id: 'm-hukou', required: false, sharedId: hukou.id });
    expect((await call('POST', '/services', withHukou)).statusCode).toBe(201);
    expect((await call('POST', '/services', newService('svc-b'))).statusCode).toBe(201);
    const a = await service('svc-a');
    expect(a.materials[0]).toEqual({ ...idCard, id: 'm-card', required: true, sharedId: idCard.id });
    expect(a.tags).toEqual(['高频']);
    expect(a.guide.handlingAuthority).toBe('某市公安局户政科');
    expect((await loadCatalogue(server.db.database.db, 't1-hall')).services.find((s) => s.id === 'svc-a')?.materials[0]?.copies).toBe(1);

    const edited = await call('PUT', `/catalogue/halls/t1-hall/shared-materials/${idCard.id}`, { ...idCard, name: '居民身份证（有效期内）', copies: 2 });
    expect(edited.json().updatedServices).toEqual(['svc-a', 'svc-b']);
    for (const id of ['svc-a', 'svc-b']) expect((await service(id)).materials[0]).toMatchObject({ name: '居民身份证（有效期内）', copies: 2 });
    // The edit dropped the cached catalogue, so the stations' next pull has it.
    const forStations = await loadCatalogue(server.db.database.db, 't1-hall');
    expect(forStations.services.find((s) => s.id === 'svc-b')?.materials[0]?.name).toBe('居民身份证（有效期内）');

    const library = (await call('GET', '/catalogue/halls/t1-hall/shared-materials')).json().materials;
    expect(library.map((m: { id: string; usedBy: { id: string }[] }) => [m.id, m.usedBy.map((u) => u.id)]).sort()).toEqual([
      [hukou.id, ['svc-a']],
      [idCard.id, ['svc-a', 'svc-b']],
    ]);
    expect((await call('DELETE', `/catalogue/halls/t1-hall/shared-materials/${idCard.id}`)).statusCode).toBe(409);
    expect((await call('GET', '/catalogue/halls/t1-hall/tags')).json().tags).toEqual([{ tag: '高频', serviceCount: 2 }]);
  });

  it('refuses a library id the hall does not hold, and library edits from another hall', async () => {
    const bad = newService('svc-c', { code: 'CODE-C' });
    bad.materials[0]!.sharedId = 'lib-nope';
    const response = await call('POST', '/services', bad);
    expect(response.statusCode).toBe(422);
    expect(response.json().error.message).toContain('lib-nope');
    const t2 = bearer(await server.login('t2-manager'));
    expect((await call('PUT', `/catalogue/halls/t1-hall/shared-materials/${idCard.id}`, idCard, t2)).statusCode).toBe(403);
  });

  it('keeps every save as a version with who and when, and diffs two versions field by field', async () => {
    const before = await service('svc-a');
    const after: Service = { ...before, guide: { ...before.guide, promisedDays: 3 }, materials: [...before.materials.filter((m) => m.id !== 'm-photo'), { id: 'm-form', name: '申请表', originals: 1, copies: 0, form: 'paper', required: true, reviewPoints: [] }] };
    expect((await call('PUT', '/services/svc-a', after)).statusCode).toBe(200);
    const versions = (await call('GET', '/services/svc-a/versions')).json().versions;
    expect(versions.map((v: { version: number }) => v.version)).toEqual([3, 2, 1]);
    expect(versions[0].actor).toEqual({ kind: 'staff', id: 't1-mgr', name: '王*' });
    const diff = (await call('GET', '/services/svc-a/diff?from=2&to=3')).json().diff as ServiceDiff;
    expect(diff.fields).toEqual([{ field: 'guide.promisedDays', before: '1', after: '3' }]);
    expect(diff.materials).toEqual([
      { kind: 'added', materialId: 'm-form', name: '申请表' },
      { kind: 'removed', materialId: 'm-photo', name: '近期免冠照片' },
    ]);
    const libraryDiff = (await call('GET', '/services/svc-a/diff?from=1&to=2')).json().diff as ServiceDiff;
    expect(libraryDiff.materials[0]).toMatchObject({ kind: 'changed', materialId: 'm-card', changes: [{ field: 'name' }, { field: 'copies', before: '1', after: '2' }] });
    expect((await call('GET', '/services/svc-a/diff?from=1&to=9')).statusCode).toBe(404);
    expect((await call('GET', '/services/svc-a/versions', undefined, {})).statusCode).toBe(401);
  });

  it('records a seeded service as it was before its first save', async () => {
    const seeded = await service('t1-svc-2');
    expect((await call('PUT', '/services/t1-svc-2', { ...seeded, theme: '证明' })).statusCode).toBe(200);
    const versions = (await call('GET', '/services/t1-svc-2/versions')).json().versions;
    expect(versions.map((v: { version: number; actor: { kind: string } }) => [v.version, v.actor.kind])).toEqual([[2, 'staff'], [1, 'system']]);
    expect((await call('GET', '/services/t1-svc-2/diff?from=1&to=2')).json().diff.fields).toEqual([{ field: 'theme', before: seeded.theme, after: '证明' }]);
  });

  async function exported(): Promise<ExcelJS.Workbook> {
    const response = await call('GET', '/catalogue/halls/t1-hall/export.xlsx');
    expect(response.headers['content-type']).toContain('spreadsheetml');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    return book;
  }
  const upload = async (book: ExcelJS.Workbook) => call('POST', '/catalogue/halls/t1-hall/import', { fileBase64: Buffer.from(await book.xlsx.writeBuffer()).toString('base64') });
  const rowOf = (book: ExcelJS.Workbook, sheet: string, id: string) => {
    let found = 0;
    book.getWorksheet(sheet)!.eachRow((row, n) => {
      if (row.getCell(1).text === id) found ||= n;
    });
    return found;
  };
  const cell = (book: ExcelJS.Workbook, sheet: string, id: string, column: string) => {
    const ws = book.getWorksheet(sheet)!;
    const col = (ws.getRow(1).values as unknown[]).indexOf(column);
    let found: ExcelJS.Cell | undefined;
    ws.eachRow((row) => {
      if (row.getCell(1).text === id) found ??= row.getCell(col);
    });
    return found!;
  };

  it('exports the catalogue to xlsx and imports it back unchanged', async () => {
    const book = await exported();
    expect(book.getWorksheet(SERVICE_SHEET)!.rowCount).toBe(1 + 4);
    expect(cell(book, SERVICE_SHEET, 'svc-a', '承办机构').text).toBe('某市公安局户政科');
    const response = await upload(book);
    expect(response.json()).toEqual({ created: [], updated: [], unchanged: 4 });
  });

  it('refuses a workbook with bad rows as a whole, naming each bad row', async () => {
    const book = await exported();
    cell(book, SERVICE_SHEET, 'svc-b', '事项名称').value = '改过的名称';
    cell(book, SERVICE_SHEET, 'svc-a', '承诺时限(工作日)').value = '三天';
    cell(book, SERVICE_SHEET, 't1-svc-1', '办理地点').value = '';
    const materials = book.getWorksheet(MATERIAL_SHEET)!;
    materials.addRow(['svc-b', 'm-x', '', 1, 0, '木板', '是']);
    const response = await upload(book);
    expect(response.statusCode).toBe(422);
    const rows = response.json().error.details.rows as { sheet: string; row: number; message: string }[];
    expect(rows.map((r) => [r.sheet, r.row])).toEqual([
      [SERVICE_SHEET, rowOf(book, SERVICE_SHEET, 'svc-a')],
      [SERVICE_SHEET, rowOf(book, SERVICE_SHEET, 't1-svc-1')],
      [MATERIAL_SHEET, materials.rowCount],
    ]);
    expect(rows[0]!.message).toBe('承诺时限(工作日)：应为工作日数（不小于 0 的整数）');
    expect(rows[1]!.message).toBe('办理地点：必填');
    expect(rows[2]!.message).toBe('形式：应为纸质、电子、纸质或电子之一，不能是“木板”');
    // Nothing of the file was written, not even the good row.
    expect((await service('svc-b')).name.zh).toBe('测试事项svc-b');
  });

  it('imports new and changed services, each saved as a version', async () => {
    const book = await exported();
    cell(book, SERVICE_SHEET, 'svc-b', '事项名称').value = '改过的名称';
    book.getWorksheet(SERVICE_SHEET)!.addRow(['svc-new', 'CODE-NEW', '新事项', '', 't1-dept', 't1-qa', '证明', '新办、高频', '', '依据一', '条件一', 3, 1, '否', '不收费', '二楼', '', '', '个人', '否', '']);
    book.getWorksheet(MATERIAL_SHEET)!.addRow(['svc-new', 'm-card', '', '', '', '', '是', idCard.id]);
    const response = await upload(book);
    expect(response.json()).toEqual({ created: ['svc-new'], updated: ['svc-b'], unchanged: 3 });
    expect((await service('svc-b')).name.zh).toBe('改过的名称');
    const created = await service('svc-new');
    expect(created.tags).toEqual(['新办', '高频']);
    expect(created.materials[0]).toMatchObject({ sharedId: idCard.id, name: '居民身份证（有效期内）' });
    expect((await call('GET', '/services/svc-new/versions')).json().versions).toHaveLength(1);
  });
});
