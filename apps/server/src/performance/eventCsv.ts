import { toCsv } from '../stats/csv';
import type { EventInput } from './store';

/** 手工上传提供特定模板: the columns a hall fills in a spreadsheet to upload events. */
export const EVENT_CSV_HEADER = ['工号', '日期', '类型', '分值', '理由', '计入考评'] as const;

export function eventTemplateCsv(): string {
  return toCsv(EVENT_CSV_HEADER, [['T001', '2026-03-05', '加分', 2, '群众来信表扬', '是']]);
}

/** One CSV line into cells; quoted cells may hold commas and doubled quotes. */
function cells(line: string): string[] {
  const out: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted && ch === '"' && line[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (ch === '"') {
      quoted = !quoted;
    } else if (ch === ',' && !quoted) {
      out.push(cell);
      cell = '';
    } else {
      cell += ch;
    }
  }
  out.push(cell);
  return out.map((c) => c.trim());
}

export type ParsedEvents = { ok: true; events: (Omit<EventInput, 'staffIds'> & { staffNumber: string })[] } | { ok: false; problems: string[] };

/**
 * Reads an uploaded event sheet. Every line is checked before anything is saved: one bad line
 * names its line number and nothing of the file is recorded.
 */
export function parseEventCsv(text: string): ParsedEvents {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = cells(lines[0] ?? '');
  if (EVENT_CSV_HEADER.some((h, i) => header[i] !== h)) return { ok: false, problems: [`line 1: the header must be ${EVENT_CSV_HEADER.join(',')}`] };
  const problems: string[] = [];
  const events: Extract<ParsedEvents, { ok: true }>['events'] = [];
  lines.slice(1).forEach((line, i) => {
    const n = i + 2;
    const [staffNumber = '', day = '', kind = '', points = '', reason = '', counts = ''] = cells(line);
    const value = Number(points);
    const bad: string[] = [];
    if (staffNumber === '') bad.push('工号 is empty');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(day))) bad.push(`日期 "${day}" is not YYYY-MM-DD`);
    if (kind !== '加分' && kind !== '扣分') bad.push(`类型 must be 加分 or 扣分, not "${kind}"`);
    if (!(value > 0 && value <= 100)) bad.push(`分值 "${points}" must be a number above 0 and at most 100`);
    if (reason.length < 2 || reason.length > 200) bad.push('理由 needs 2 to 200 characters');
    if (counts !== '是' && counts !== '否') bad.push(`计入考评 must be 是 or 否, not "${counts}"`);
    if (bad.length > 0) problems.push(`line ${n}: ${bad.join('; ')}`);
    else events.push({ staffNumber, day, kind: kind === '加分' ? 'bonus' : 'penalty', points: value, reason, counts: counts === '是' });
  });
  if (lines.length < 2) problems.push('the file has no events');
  return problems.length > 0 ? { ok: false, problems } : { ok: true, events };
}
