import type { AppraisalSubject } from '@hall/shared';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { periodReport, type PeriodReport } from './report';
import { listAppraisals, listEvents } from './store';

/**
 * The month or year report over published appraisals: a month's own appraisals, or for a
 * year every appraisal of its months and of the year itself.
 */
export async function buildReport(db: Kysely<Database>, hallId: string, period: string, subject: AppraisalSubject = 'clerk'): Promise<PeriodReport> {
  const inPeriod = (p: string) => p === period || (period.length === 4 && p.startsWith(`${period}-`));
  const published = (await listAppraisals(db, hallId)).filter((a) => a.status === 'published' && a.subject === subject && inPeriod(a.period));
  const results = published.flatMap((a) => {
    const fullMarks = a.items.reduce((s, i) => s + i.weight, 0);
    return a.results.map((r) => ({ staffId: r.staffId, name: r.name, staffNumber: r.staffNumber, total: r.total, rank: r.rank, fullMarks }));
  });
  const events = subject === 'clerk' ? await listEvents(db, hallId, period) : [];
  return periodReport(results, events);
}

const GRADE_ZH = { excellent: '优秀', good: '良好', pass: '合格', improve: '待改进' } as const;

export const reportCsvHeader = (subject: AppraisalSubject): string[] =>
  subject === 'clerk' ? ['排名', '工号', '姓名', '考评次数', '平均得分', '最好名次', '加分', '扣分', '等次'] : ['排名', '窗口号', '窗口', '考评次数', '平均得分', '最好名次', '加分', '扣分', '等次'];

export function reportCsvRows(report: PeriodReport): (string | number)[][] {
  return report.rows.map((r) => [r.rank, r.staffNumber, r.name, r.appraisals, r.averageScore, r.bestRank, r.bonusPoints, r.penaltyPoints, GRADE_ZH[r.grade]]);
}
