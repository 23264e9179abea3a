import writeXlsxFile, { type Cell, type Row } from 'write-excel-file/node';
import type { statsPage } from './index';
import type { AppointmentRow, SatisfactionRow, TicketStatsRow } from './query';

type Page = Awaited<ReturnType<typeof statsPage>>;

interface Joined {
  key: string;
  label: string;
  t: TicketStatsRow | undefined;
  s: SatisfactionRow | undefined;
  a: AppointmentRow | undefined;
}

interface Column {
  header: string;
  width: number;
  value: (r: Joined) => string | number | null;
  /** Excel number format; durations are shown in minutes, rates as percentages. */
  format?: string;
}

const minutes = (seconds: number | null | undefined) => (seconds === null || seconds === undefined ? null : seconds / 60);

/** The same figures as the CSV export, laid out for people: Chinese headers, minutes, percentages. */
const COLUMNS: readonly Column[] = [
  { header: '分组', width: 14, value: (r) => r.key },
  { header: '名称', width: 24, value: (r) => r.label },
  { header: '取号', width: 8, value: (r) => r.t?.issued ?? 0 },
  { header: '咨询号', width: 8, value: (r) => r.t?.consultation ?? 0 },
  { header: '办结', width: 8, value: (r) => r.t?.served ?? 0 },
  { header: '过号', width: 8, value: (r) => r.t?.missed ?? 0 },
  { header: '转移', width: 8, value: (r) => r.t?.transferred ?? 0 },
  { header: '等候均值（分钟）', width: 12, value: (r) => minutes(r.t?.wait.mean), format: '0.0' },
  { header: '等候中位（分钟）', width: 12, value: (r) => minutes(r.t?.wait.median), format: '0.0' },
  { header: '等候P90（分钟）', width: 12, value: (r) => minutes(r.t?.wait.p90), format: '0.0' },
  { header: '办理均值（分钟）', width: 12, value: (r) => minutes(r.t?.service.mean), format: '0.0' },
  { header: '办理中位（分钟）', width: 12, value: (r) => minutes(r.t?.service.median), format: '0.0' },
  { header: '办理P90（分钟）', width: 12, value: (r) => minutes(r.t?.service.p90), format: '0.0' },
  { header: '评价数', width: 8, value: (r) => r.s?.total ?? 0 },
  { header: '满意率', width: 8, value: (r) => r.s?.satisfactionRate ?? null, format: '0.0%' },
  { header: '预约数', width: 8, value: (r) => r.a?.booked ?? 0 },
  { header: '履约数', width: 8, value: (r) => r.a?.kept ?? 0 },
  { header: '履约率', width: 8, value: (r) => r.a?.keptRate ?? null, format: '0.0%' },
];

function joinRows(page: Page): Joined[] {
  const t = new Map(page.tickets.map((r) => [r.key, r]));
  const s = new Map(page.satisfaction.map((r) => [r.key, r]));
  const a = new Map(page.appointments.map((r) => [r.key, r]));
  const keys = [...new Set([...t.keys(), ...s.keys(), ...a.keys()])].sort();
  return keys.map((key) => ({ key, label: page.labels[key] ?? '', t: t.get(key), s: s.get(key), a: a.get(key) }));
}

function cell(column: Column, row: Joined): Cell {
  const value = column.value(row);
  if (value === null) return null;
  // Cells are typed, never formulas: a label starting with = stays text.
  return typeof value === 'number' ? { value, type: Number, ...(column.format ? { format: column.format } : {}) } : { value, type: String };
}

/** The statistics page as an .xlsx workbook: one sheet, a bold frozen header row. */
export async function pageToXlsx(page: Page): Promise<Buffer> {
  const header: Row = COLUMNS.map((c) => ({ value: c.header, type: String, fontWeight: 'bold' as const }));
  const rows: Row[] = joinRows(page).map((r) => COLUMNS.map((c) => cell(c, r)));
  const title = `${page.from}~${page.to}`;
  return writeXlsxFile([header, ...rows], { sheet: title, columns: COLUMNS.map((c) => ({ width: c.width })), stickyRowsCount: 1 }).toBuffer();
}
