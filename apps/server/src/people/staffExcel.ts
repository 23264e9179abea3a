import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import type { Kysely } from 'kysely';
import { StaffRoleSchema, StaffSchema, type Department, type StaffRole } from '@hall/shared';
import type { Database } from '../db/schema';
import type { StaffView } from '../store/staff';
import { PasswordSchema } from '../routes/staff';

/** The sheet's columns, in order; the export and the import template share them. */
export const STAFF_COLUMNS = ['工号', '登录名', '姓名', '部门编号', '角色', '状态', '初始密码'] as const;
const SHEET = '人员账号';
/** Roles a hall's sheet may hand out: city_admin is given by a city administrator only, never by file. */
const SHEET_ROLES = StaffRoleSchema.options.filter((r) => r !== 'city_admin');

/** A hall's accounts as a workbook. The 初始密码 column stays empty: passwords never leave the server. */
export async function staffWorkbook(staff: readonly StaffView[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(SHEET);
  sheet.columns = STAFF_COLUMNS.map((header) => ({ header, width: header === '角色' ? 28 : 14 }));
  for (const s of staff) {
    sheet.addRow([s.staffNumber, s.login, s.displayName, s.departmentId ?? '', s.roles.join(','), s.active ? '启用' : '停用', '']);
  }
  // Every cell is text: a staff number 007 keeps its zeros, and nothing is read as a formula.
  sheet.eachRow((row) => row.eachCell((cell) => (cell.numFmt = '@')));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export interface ImportRow {
  row: number;
  staffNumber: string;
  login: string;
  displayName: string;
  departmentId: string | null;
  roles: StaffRole[];
  active: boolean;
  password: string | null;
  /** Set when the login already belongs to this hall: the row updates that account. */
  existingId: string | null;
}

export interface RowError {
  row: number;
  column: string;
  message: string;
}

function text(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object' && 'richText' in value) return value.richText.map((r) => r.text).join('').trim();
  if (typeof value === 'object' && 'text' in value) return String(value.text).trim();
  if (typeof value === 'object' && 'result' in value) return String(value.result ?? '').trim();
  if (value instanceof Date) return value.toISOString();
  return String(value).trim();
}

/** Reads the first sheet; a file that is not a workbook or lacks the columns is one error on row 1. */
export async function readStaffSheet(file: Buffer): Promise<{ rows: Record<string, string>[]; errors: RowError[] }> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(file as unknown as ArrayBuffer);
  } catch {
    return { rows: [], errors: [{ row: 1, column: '', message: '文件不是 Excel 工作簿（.xlsx）' }] };
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) return { rows: [], errors: [{ row: 1, column: '', message: '工作簿没有工作表' }] };
  const headers = new Map<number, string>();
  sheet.getRow(1).eachCell((cell, col) => headers.set(col, text(cell.value)));
  const missing = STAFF_COLUMNS.filter((c) => c !== '状态' && c !== '初始密码' && ![...headers.values()].includes(c));
  if (missing.length > 0) return { rows: [], errors: [{ row: 1, column: missing.join('、'), message: `缺少列：${missing.join('、')}` }] };
  const rows: Record<string, string>[] = [];
  sheet.eachRow((row, number) => {
    if (number === 1) return;
    const values: Record<string, string> = { __row: String(number) };
    for (const [col, header] of headers) values[header] = text(row.getCell(col).value);
    if (STAFF_COLUMNS.some((c) => values[c])) rows.push(values);
  });
  return { rows, errors: [] };
}

/**
 * Checks every row against the hall before anything is written: the caller imports all rows
 * or none, and every problem is reported with its row and column.
 */
export async function validateStaffRows(
  db: Kysely<Database>,
  hallId: string,
  raw: readonly Record<string, string>[],
  departments: readonly (Department & { active: boolean })[],
): Promise<{ rows: ImportRow[]; errors: RowError[] }> {
  const errors: RowError[] = [];
  const rows: ImportRow[] = [];
  const seen = new Set<string>();
  const logins = raw.map((r) => r['登录名'] ?? '').filter(Boolean);
  const existing = logins.length === 0 ? [] : await db.selectFrom('staff').select(['id', 'login', 'hall_id']).where('login', 'in', logins).execute();
  const byLogin = new Map(existing.map((e) => [e.login, e]));
  for (const r of raw) {
    const row = Number(r.__row);
    const fail = (column: string, message: string) => errors.push({ row, column, message });
    const staffNumber = r['工号'] ?? '';
    const login = r['登录名'] ?? '';
    const displayName = r['姓名'] ?? '';
    const departmentId = r['部门编号'] || null;
    const password = r['初始密码'] || null;
    const status = r['状态'] || '启用';
    if (!StaffSchema.shape.staffNumber.safeParse(staffNumber).success) fail('工号', '工号必填，最多 16 个字符');
    if (!StaffSchema.shape.login.safeParse(login).success) fail('登录名', '登录名须为 3–32 个字符');
    if (!StaffSchema.shape.displayName.safeParse(displayName).success) fail('姓名', '姓名必填，最多 32 个字符');
    if (login && seen.has(login)) fail('登录名', `登录名 ${login} 在文件中重复`);
    seen.add(login);
    const other = byLogin.get(login);
    if (other && other.hall_id !== hallId) fail('登录名', `登录名 ${login} 已被其他大厅使用`);
    const department = departmentId ? departments.find((d) => d.id === departmentId) : undefined;
    if (departmentId && !department) fail('部门编号', `本大厅没有部门 ${departmentId}`);
    else if (department && !department.active) fail('部门编号', `部门 ${departmentId} 已停用`);
    const roleNames = (r['角色'] ?? '').split(/[,，、\s]+/).filter(Boolean);
    const badRoles = roleNames.filter((name) => !(SHEET_ROLES as readonly string[]).includes(name));
    if (roleNames.length === 0) fail('角色', `至少一个角色（${SHEET_ROLES.join(',')}）`);
    else if (badRoles.length > 0) fail('角色', `不可导入的角色：${badRoles.join(',')}`);
    if (status !== '启用' && status !== '停用') fail('状态', '状态须为 启用 或 停用');
    const existingId = other && other.hall_id === hallId ? other.id : null;
    if (password !== null && !PasswordSchema.safeParse(password).success) fail('初始密码', '初始密码至少 8 个字符');
    if (existingId === null && password === null) fail('初始密码', '新账号须填写初始密码');
    rows.push({ row, staffNumber, login, displayName, departmentId, roles: roleNames as StaffRole[], active: status === '启用', password, existingId });
  }
  if (raw.length === 0) errors.push({ row: 2, column: '', message: '文件中没有人员行' });
  return { rows, errors };
}

export const newStaffId = (): string => `staff-${randomUUID()}`;
