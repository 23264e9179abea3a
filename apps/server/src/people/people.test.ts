import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { makeTestIdNumber } from '@hall/shared';
import { recordAudit } from '../store/audit';
import { BACKENDS } from '../testing/databases';
import { bearer, startTestServer, type TestServer } from '../testing/server';

const pgUrl = inject('postgresUrl');
let now = new Date('2026-03-11T02:00:00.000Z');

async function workbook(rows: (string | number)[][]): Promise<string> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('人员账号');
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await book.xlsx.writeBuffer()).toString('base64');
}

describe.each(BACKENDS)('people and permissions on %s', (dialect) => {
  let server: TestServer;
  const tokens: Record<string, string> = {};
  type Method = 'GET' | 'PUT' | 'POST' | 'PATCH';
  const tick = (minutes = 1) => (now = new Date(now.getTime() + minutes * 60_000));
  // Audit entries list newest first: each write happens a minute after the last, as in a hall.
  const call = (method: Method, url: string, who: string, payload?: object) => {
    if (method !== 'GET') tick();
    return server.app.inject({ method, url: `/api/v1${url}`, headers: bearer(tokens[who]!), ...(payload ? { payload } : {}) });
  };

  beforeAll(async () => {
    server = await startTestServer(dialect, pgUrl, { clock: () => now });
    tokens.manager = await server.login('t1-manager');
    tokens.manager2 = await server.login('t2-manager');
    tokens.clerk = await server.login('t1-clerk');
    tokens.admin = await server.login('city-admin');
    const supervisor = { id: 't1-sup', hallId: 't1-hall', login: 't1-supervisor', displayName: '钱*', staffNumber: 't1050', roles: ['supervisor'], password: 'super-pass-1' };
    expect((await call('POST', '/staff', 'manager', supervisor)).statusCode).toBe(201);
    tokens.supervisor = await server.login('t1-supervisor', 'super-pass-1');
  });
  afterAll(async () => server.dispose());

  it('creates, renames and switches off departments; one in use is kept; changes are audited and bump the configuration', async () => {
    const version = async () => (await call('GET', '/admin/halls/t1-hall/config-version', 'manager')).json().version as number;
    const before = await version();
    const created = await call('POST', '/admin/halls/t1-hall/departments', 'manager', { id: 't1-dept-tax', name: { zh: '税务', en: 'Tax' } });
    expect(created.statusCode, created.body).toBe(201);
    expect((await call('POST', '/admin/halls/t1-hall/departments', 'manager', { id: 't1-dept-tax', name: { zh: '重复' } })).statusCode).toBe(409);
    const renamed = await call('PATCH', '/admin/halls/t1-hall/departments/t1-dept-tax', 'manager', { name: { zh: '税务服务' } });
    expect(renamed.json().departments.find((d: { id: string }) => d.id === 't1-dept-tax').name).toEqual({ zh: '税务服务' });
    // The fixture's department has a clerk and services: switching it off is refused with what is left.
    const inUse = await call('PATCH', '/admin/halls/t1-hall/departments/t1-dept', 'manager', { active: false });
    expect(inUse.statusCode).toBe(409);
    expect(inUse.json().error.message).toMatch(/staff/);
    const off = await call('PATCH', '/admin/halls/t1-hall/departments/t1-dept-tax', 'manager', { active: false });
    expect(off.json().departments.find((d: { id: string }) => d.id === 't1-dept-tax').active).toBe(false);
    // A switched-off department takes no one.
    expect((await call('PATCH', '/staff/t1-clerk', 'manager', { departmentId: 't1-dept-tax' })).statusCode).toBe(422);
    expect((await call('POST', '/admin/halls/t1-hall/departments', 'supervisor', { name: { zh: '督查' } })).statusCode).toBe(403);
    expect((await call('POST', '/admin/halls/t1-hall/departments', 'manager2', { name: { zh: '外厅' } })).statusCode).toBe(403);
    expect((await call('GET', '/admin/halls/t1-hall/departments', 'supervisor')).statusCode).toBe(200);
    expect(await version()).toBe(before + 3);
    const audit = (await call('GET', '/admin/audit?hallId=t1-hall&entity=department', 'manager')).json();
    expect(audit.entries.map((e: { action: string }) => e.action)).toEqual(['update', 'update', 'create']);
  });

  it('keeps the built-in roles as before, and a configured role takes a page away from a supervisor on the API', async () => {
    const listed = (await call('GET', '/admin/halls/t1-hall/roles', 'manager')).json();
    expect(listed.roles.filter((r: { builtIn: boolean }) => r.builtIn).map((r: { id: string }) => r.id)).toEqual([
      'builtin-clerk', 'builtin-officer', 'builtin-supervisor', 'builtin-hall_manager', 'builtin-city_admin',
    ]);
    expect((await call('GET', '/people/me', 'supervisor')).json()).toMatchObject({ configured: false });
    expect((await call('GET', '/people/me', 'supervisor')).json().permissions).toContain('stats');
    expect((await call('GET', '/stats?hallId=t1-hall&from=2026-03-01&to=2026-03-11', 'supervisor')).statusCode).toBe(200);

    tick();
    const created = await call('POST', '/admin/halls/t1-hall/roles', 'manager', { name: { zh: '值班督查（无统计）' }, permissions: ['live', 'supervision', 'audit'] });
    expect(created.statusCode, created.body).toBe(201);
    const roleId = created.json().role.id as string;
    expect((await call('POST', '/admin/halls/t1-hall/roles', 'supervisor', { name: { zh: '越权' }, permissions: ['live'] })).statusCode).toBe(403);
    expect((await call('POST', '/admin/halls/t1-hall/roles', 'manager', { name: { zh: '市级' }, scope: 'city', permissions: ['live'] })).statusCode).toBe(403);
    expect((await call('POST', '/admin/halls/t1-hall/roles', 'manager', { name: { zh: '坏' }, permissions: ['nonsense'] })).statusCode).toBe(400);
    // Another hall's manager neither sees nor hands out this hall's roles.
    expect((await call('PUT', '/admin/halls/t2-hall/staff/t2-clerk/roles', 'manager2', { roleIds: [roleId] })).statusCode).toBe(422);

    tick();
    const assigned = await call('PUT', '/admin/halls/t1-hall/staff/t1-sup/roles', 'manager', { roleIds: [roleId] });
    expect(assigned.statusCode, assigned.body).toBe(200);
    expect((await call('GET', '/people/me', 'supervisor')).json()).toEqual({ permissions: ['live', 'supervision', 'audit'], configured: true });
    const refused = await call('GET', '/stats?hallId=t1-hall&from=2026-03-01&to=2026-03-11', 'supervisor');
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.message).toMatch(/stats/);
    expect((await call('GET', '/admin/halls/t1-hall/live', 'supervisor')).statusCode).toBe(200);
    // The role never reaches beyond the built-in role: a supervisor still writes nothing.
    expect((await call('POST', '/admin/halls/t1-hall/departments', 'supervisor', { name: { zh: '督查' } })).statusCode).toBe(403);
    // Everyone else is untouched.
    expect((await call('GET', '/stats?hallId=t1-hall&from=2026-03-01&to=2026-03-11', 'manager')).statusCode).toBe(200);

    tick();
    const edited = await call('PATCH', `/admin/halls/t1-hall/roles/${roleId}`, 'manager', { permissions: ['live', 'stats'] });
    expect(edited.json().role.permissions).toEqual(['live', 'stats']);
    expect((await call('GET', '/stats?hallId=t1-hall&from=2026-03-01&to=2026-03-11', 'supervisor')).statusCode).toBe(200);
    // A switched-off role no longer counts: back to the built-in defaults.
    await call('PATCH', `/admin/halls/t1-hall/roles/${roleId}`, 'manager', { active: false });
    expect((await call('GET', '/people/me', 'supervisor')).json().configured).toBe(false);
    expect((await call('PUT', '/admin/halls/t1-hall/staff/t1-mgr/roles', 'manager', { roleIds: [] })).statusCode).toBe(400);

    const roleAudit = (await call('GET', `/admin/audit?hallId=t1-hall&entity=role`, 'manager')).json();
    expect(roleAudit.entries.map((e: { action: string }) => e.action)).toEqual(['update', 'update', 'create']);
    const assignAudit = (await call('GET', '/admin/audit?hallId=t1-hall&action=assign_roles', 'manager')).json();
    expect(assignAudit.entries[0]).toMatchObject({ entity: 'staff', entityId: 't1-sup', actor: { login: 't1-manager', name: '王*' }, detail: { roleIds: [roleId] } });
  });

  it('scopes a department role to that department and keeps a manager from granting what they lack', async () => {
    const deptRole = await call('POST', '/admin/halls/t1-hall/roles', 'manager', { name: { zh: '户政窗口' }, scope: 'department', departmentId: 't1-dept', permissions: ['backoffice'] });
    expect(deptRole.statusCode, deptRole.body).toBe(201);
    const id = deptRole.json().role.id as string;
    expect((await call('PUT', '/admin/halls/t1-hall/staff/t1-clerk/roles', 'manager', { roleIds: [id] })).statusCode).toBe(200);
    // The supervisor is in no department: the role is not theirs to hold.
    expect((await call('PUT', '/admin/halls/t1-hall/staff/t1-sup/roles', 'manager', { roleIds: [id] })).statusCode).toBe(422);

    const deputy = { id: 't1-mgr2', hallId: 't1-hall', login: 't1-deputy', displayName: '孙*', staffNumber: 't1051', roles: ['hall_manager'], password: 'deputy-pass-1' };
    expect((await call('POST', '/staff', 'manager', deputy)).statusCode).toBe(201);
    const limited = (await call('POST', '/admin/halls/t1-hall/roles', 'manager', { name: { zh: '副主任' }, permissions: ['roles', 'staff'] })).json().role.id as string;
    expect((await call('PUT', '/admin/halls/t1-hall/staff/t1-mgr2/roles', 'manager', { roleIds: [limited] })).statusCode).toBe(200);
    tokens.deputy = await server.login('t1-deputy', 'deputy-pass-1');
    const beyond = await call('POST', '/admin/halls/t1-hall/roles', 'deputy', { name: { zh: '审计员' }, permissions: ['audit'] });
    expect(beyond.statusCode).toBe(403);
    expect((await call('GET', '/admin/audit?hallId=t1-hall', 'deputy')).statusCode).toBe(403);
  });

  it('pages and filters the audit log by who, what, when and hall, masks personal data, and exports CSV and xlsx', async () => {
    const idNumber = makeTestIdNumber({ regionCode: '440102', birthDate: '1990-01-01', sequence: 7 });
    const at = new Date('2026-03-15T03:00:00.000Z');
    await recordAudit(server.db.database.db, { actor: { kind: 'system', id: 'test' }, action: 'probe', entity: 'blacklist', entityId: idNumber, hallId: 't1-hall', detail: { phone: '13812345678' } }, at);
    const probe = (await call('GET', '/admin/audit?hallId=t1-hall&action=probe', 'manager')).json();
    expect(probe.total).toBe(1);
    expect(JSON.stringify(probe)).not.toContain(idNumber);
    expect(JSON.stringify(probe)).not.toContain('13812345678');
    expect(probe.entries[0].detail.phone).toBe('138****5678');

    const byWho = (await call('GET', '/admin/audit?hallId=t1-hall&actor=t1-manager&pageSize=2', 'manager')).json();
    expect(byWho.entries).toHaveLength(2);
    expect(byWho.total).toBeGreaterThan(2);
    expect(byWho.entries.every((e: { actor: { login: string } }) => e.actor.login === 't1-manager')).toBe(true);
    const page2 = (await call('GET', '/admin/audit?hallId=t1-hall&actor=t1-manager&pageSize=2&page=2', 'manager')).json();
    expect(page2.entries[0].id).not.toBe(byWho.entries[0].id);
    const window = (await call('GET', `/admin/audit?hallId=t1-hall&from=${encodeURIComponent('2026-03-15T00:00:00+08:00')}&to=${encodeURIComponent('2026-03-16T00:00:00+08:00')}`, 'manager')).json();
    expect(window.entries.map((e: { action: string }) => e.action)).toEqual(['probe']);
    // Hall: another hall's manager is refused; the city administrator reads any hall, or all.
    expect((await call('GET', '/admin/audit?hallId=t1-hall', 'manager2')).statusCode).toBe(403);
    expect((await call('GET', '/admin/audit', 'manager')).statusCode).toBe(403);
    expect((await call('GET', '/admin/audit?hallId=t2-hall', 'manager2')).json().entries.every((e: { hallId: string }) => e.hallId === 't2-hall')).toBe(true);
    expect((await call('GET', '/admin/audit?action=probe', 'admin')).json().total).toBe(1);
    expect((await call('GET', '/admin/audit?hallId=t1-hall&from=yesterday', 'manager')).statusCode).toBe(400);

    const csv = await call('GET', '/admin/audit/export.csv?hallId=t1-hall&entity=role', 'manager');
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.body.split('\r\n')[0]).toBe('\uFEFF时间,操作人账号,操作人,大厅,动作,对象,对象编号,详情');
    expect(csv.body).toContain('t1-manager');
    const xlsx = await call('GET', '/admin/audit/export.xlsx?hallId=t1-hall&action=probe', 'manager');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const cells = book.worksheets[0]!.getRow(2).values as unknown[];
    expect(cells).toContain('probe');
    expect(JSON.stringify(cells)).not.toContain(idNumber);
    const exports = (await call('GET', '/admin/audit?hallId=t1-hall&entity=audit_log', 'manager')).json();
    expect(exports.entries.map((e: { entityId: string }) => e.entityId).sort()).toEqual(['csv', 'xlsx']);
  });

  it('exports staff accounts to xlsx without passwords and imports a sheet all or nothing with row errors', async () => {
    const exported = await call('GET', '/admin/halls/t1-hall/staff/export.xlsx', 'manager');
    expect(exported.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(exported.rawPayload as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    expect(sheet.getRow(1).values).toEqual([undefined, '工号', '登录名', '姓名', '部门编号', '角色', '状态', '初始密码']);
    const logins: string[] = [];
    sheet.eachRow((row, n) => {
      if (n > 1) {
        logins.push(String(row.getCell(2).value));
        expect(row.getCell(7).value ?? '').toBe('');
      }
    });
    expect(logins).toContain('t1-clerk');
    expect(exported.rawPayload.toString('latin1')).not.toContain('super-pass-1');

    const header = ['工号', '登录名', '姓名', '部门编号', '角色', '状态', '初始密码'];
    const bad = await workbook([
      header,
      ['t1100', 't1-import-a', '李*', 't1-dept', 'clerk', '启用', 'import-pass-1'],
      ['', 'x', '周*', 'nowhere', 'wizard', '也许', 'short'],
      ['t1102', 't1-import-a', '吴*', '', 'city_admin', '启用', ''],
      ['t2999', 't2-clerk', '郑*', '', 'clerk', '启用', 'import-pass-2'],
    ]);
    const refused = await call('POST', '/admin/halls/t1-hall/staff/import', 'manager', { file: bad });
    expect(refused.statusCode).toBe(422);
    const errors = refused.json().error.details.errors as { row: number; column: string }[];
    expect(errors.filter((e) => e.row === 2)).toEqual([]);
    expect(new Set(errors.filter((e) => e.row === 3).map((e) => e.column))).toEqual(new Set(['工号', '登录名', '部门编号', '角色', '状态', '初始密码']));
    expect(errors.filter((e) => e.row === 4).map((e) => e.column).sort()).toEqual(['初始密码', '登录名', '角色'].sort());
    expect(errors.filter((e) => e.row === 5).map((e) => e.column)).toEqual(['登录名']);
    // Nothing from the file was imported, not even its good row.
    expect((await call('GET', '/admin/halls/t1-hall/staff', 'manager')).json().staff.map((s: { login: string }) => s.login)).not.toContain('t1-import-a');
    expect((await call('POST', '/admin/halls/t1-hall/staff/import', 'manager', { file: Buffer.from('not a workbook').toString('base64') })).statusCode).toBe(422);

    const good = await workbook([
      header,
      ['t1100', 't1-import-a', '李*', 't1-dept', 'clerk', '启用', 'import-pass-1'],
      ['t1101', 't1-import-b', '吴*', '', 'clerk，supervisor', '停用', 'import-pass-2'],
      [1002, 't1-clerk', '赵*', 't1-dept', 'clerk', '启用', ''],
      ['t1050', 't1-supervisor', '钱*', '', 'supervisor', '启用', 'new-super-pass-2'],
    ]);
    expect((await call('POST', '/admin/halls/t1-hall/staff/import', 'clerk', { file: good })).statusCode).toBe(403);
    const imported = await call('POST', '/admin/halls/t1-hall/staff/import', 'manager', { file: good });
    expect(imported.statusCode, imported.body).toBe(200);
    expect(imported.json()).toEqual({ created: 2, updated: 2 });
    // A password set by the sheet ends the account's sessions, as a reset in the console does.
    expect((await call('GET', '/people/me', 'supervisor')).statusCode).toBe(401);
    expect((await call('GET', '/people/me', 'clerk')).statusCode).toBe(200);
    expect(await server.login('t1-import-a', 'import-pass-1')).toBeTruthy();
    await expect(server.login('t1-import-b', 'import-pass-2')).rejects.toThrow(/401/);
    const staff = (await call('GET', '/admin/halls/t1-hall/staff', 'manager')).json().staff as { login: string; roles: string[]; staffNumber: string; active: boolean }[];
    expect(staff.find((s) => s.login === 't1-import-b')).toMatchObject({ roles: ['clerk', 'supervisor'], active: false });
    expect(staff.find((s) => s.login === 't1-clerk')?.staffNumber).toBe('1002');
    const audit = (await call('GET', '/admin/audit?hallId=t1-hall&entity=staff&action=create', 'manager')).json();
    expect(JSON.stringify(audit)).not.toContain('import-pass');
  });
});
