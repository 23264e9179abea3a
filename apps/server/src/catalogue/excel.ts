import ExcelJS from 'exceljs';
import type { Material, Service } from '@hall/shared';

/**
 * The catalogue as a workbook a hall manager edits in Excel: one sheet of services (one row
 * each, guide included), one of materials (one row per material of a service). Cells with
 * several items hold one item per line. The decision tree, forms and caps are not in the
 * workbook: an import keeps them as they are.
 */
export const SERVICE_SHEET = '事项';
export const MATERIAL_SHEET = '材料';

const SERVICE_COLUMNS = [
  'ID', '事项编码', '事项名称', '英文名称', '部门ID', '队列ID', '主题', '标签', '承办机构', '设定依据', '受理条件',
  '法定时限(工作日)', '承诺时限(工作日)', '是否收费', '收费说明', '办理地点', '咨询电话', '办理流程', '办理对象', '可网上办理', '关键词',
] as const;
const MATERIAL_COLUMNS = ['事项ID', '材料ID', '材料名称', '原件份数', '复印件份数', '形式', '是否必需', '共享材料ID', '审查要点', '备注'] as const;

type ServiceColumn = (typeof SERVICE_COLUMNS)[number];
type MaterialColumn = (typeof MATERIAL_COLUMNS)[number];

export const APPLICANT_WORDS = { person: '个人', organisation: '法人', both: '个人和法人' } as const;
export const FORM_WORDS = { paper: '纸质', electronic: '电子', paper_or_electronic: '纸质或电子' } as const;
const YES = '是';
const NO = '否';

/** One sheet row as text by column title, with its row number for error reports. */
export interface SheetRow<C extends string> {
  row: number;
  cells: Record<C, string>;
}

const lines = (items: readonly string[] | undefined) => (items ?? []).join('\n');
const yesNo = (value: boolean | undefined) => (value ? YES : NO);

function serviceCells(s: Service): Record<ServiceColumn, string | number> {
  return {
    ID: s.id,
    事项编码: s.code,
    事项名称: s.name.zh,
    英文名称: s.name.en ?? '',
    部门ID: s.departmentId,
    队列ID: s.queueId,
    主题: s.theme,
    标签: lines(s.tags),
    承办机构: s.guide.handlingAuthority ?? '',
    设定依据: lines(s.guide.legalBasis),
    受理条件: lines(s.guide.conditions),
    '法定时限(工作日)': s.guide.statutoryDays,
    '承诺时限(工作日)': s.guide.promisedDays,
    是否收费: yesNo(!s.guide.fees.free),
    收费说明: s.guide.fees.description,
    办理地点: s.guide.place,
    咨询电话: s.guide.enquiryPhone ?? '',
    办理流程: lines(s.guide.processSteps),
    办理对象: APPLICANT_WORDS[s.guide.applicants],
    可网上办理: yesNo(s.guide.onlineAvailable),
    关键词: lines(s.keywords),
  };
}

function materialCells(serviceId: string, m: Material): Record<MaterialColumn, string | number> {
  return {
    事项ID: serviceId,
    材料ID: m.id,
    材料名称: m.name,
    原件份数: m.originals,
    复印件份数: m.copies,
    形式: FORM_WORDS[m.form],
    是否必需: yesNo(m.required),
    共享材料ID: m.sharedId ?? '',
    审查要点: lines(m.reviewPoints),
    备注: m.note ?? '',
  };
}

function addSheet<C extends string>(book: ExcelJS.Workbook, name: string, columns: readonly C[], rows: Record<C, string | number>[]): void {
  const sheet = book.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c) => ({ header: c, key: c, width: Math.max(10, c.length * 2 + 4) }));
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) sheet.addRow(row).alignment = { wrapText: true, vertical: 'top' };
}

export async function catalogueWorkbook(services: readonly Service[]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'hall console';
  addSheet(book, SERVICE_SHEET, SERVICE_COLUMNS, services.map(serviceCells));
  addSheet(book, MATERIAL_SHEET, MATERIAL_COLUMNS, services.flatMap((s) => s.materials.map((m) => materialCells(s.id, m))));
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** A workbook the reader cannot use at all (not xlsx, a sheet or a column missing). */
export class WorkbookProblem extends Error {}

function readSheet<C extends string>(book: ExcelJS.Workbook, name: string, columns: readonly C[]): SheetRow<C>[] {
  const sheet = book.getWorksheet(name);
  if (!sheet) throw new WorkbookProblem(`the workbook has no sheet named ${name}`);
  const header = new Map<string, number>();
  sheet.getRow(1).eachCell((cell, col) => header.set(cell.text.trim(), col));
  const missing = columns.filter((c) => !header.has(c));
  if (missing.length > 0) throw new WorkbookProblem(`sheet ${name} lacks the column(s) ${missing.join(', ')}`);
  const rows: SheetRow<C>[] = [];
  sheet.eachRow((row, number) => {
    if (number === 1) return;
    const cells = Object.fromEntries(columns.map((c) => [c, row.getCell(header.get(c)!).text.trim()])) as Record<C, string>;
    if (Object.values<string>(cells).every((v) => v === '')) return;
    rows.push({ row: number, cells });
  });
  return rows;
}

export async function readCatalogueWorkbook(data: Buffer): Promise<{ services: SheetRow<ServiceColumn>[]; materials: SheetRow<MaterialColumn>[] }> {
  const book = new ExcelJS.Workbook();
  try {
    await book.xlsx.load(data as unknown as ArrayBuffer);
  } catch {
    throw new WorkbookProblem('the file is not an xlsx workbook');
  }
  return { services: readSheet(book, SERVICE_SHEET, SERVICE_COLUMNS), materials: readSheet(book, MATERIAL_SHEET, MATERIAL_COLUMNS) };
}

export type ServiceRow = SheetRow<ServiceColumn>;
export type MaterialRow = SheetRow<MaterialColumn>;
