/**
 * 考评结果统计 (seed 001 §8.9): the month or year report — each clerk's average score over
 * the published appraisals of the period, bonus and penalty points, the grade (考评等次) and
 * how the grades are shared. Pure.
 */
export const GRADES = ['excellent', 'good', 'pass', 'improve'] as const;
export type Grade = (typeof GRADES)[number];

/** Grades by the share of the scheme's full marks (the sum of its weights). */
export function gradeOf(total: number, fullMarks: number): Grade {
  const share = fullMarks > 0 ? total / fullMarks : 0;
  if (share >= 0.9) return 'excellent';
  if (share >= 0.75) return 'good';
  if (share >= 0.6) return 'pass';
  return 'improve';
}

export interface PublishedResult {
  staffId: string;
  name: string;
  staffNumber: string;
  total: number;
  rank: number;
  fullMarks: number;
}

export interface ReportEvent {
  staffId: string;
  kind: 'bonus' | 'penalty';
  points: number;
}

export interface ReportRow {
  staffId: string;
  name: string;
  staffNumber: string;
  appraisals: number;
  averageScore: number;
  bestRank: number;
  bonusPoints: number;
  penaltyPoints: number;
  grade: Grade;
  /** 1 for the best average; equal averages share a rank. */
  rank: number;
}

export interface PeriodReport {
  rows: ReportRow[];
  grades: Record<Grade, number>;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

export function periodReport(results: readonly PublishedResult[], events: readonly ReportEvent[]): PeriodReport {
  const byClerk = new Map<string, PublishedResult[]>();
  for (const r of results) byClerk.set(r.staffId, [...(byClerk.get(r.staffId) ?? []), r]);
  const rows: ReportRow[] = [...byClerk.values()].map((mine) => {
    const first = mine[0]!;
    const average = mine.reduce((s, r) => s + r.total, 0) / mine.length;
    const fullMarks = mine.reduce((s, r) => s + r.fullMarks, 0) / mine.length;
    const own = events.filter((e) => e.staffId === first.staffId);
    const sum = (kind: ReportEvent['kind']) => round2(own.filter((e) => e.kind === kind).reduce((s, e) => s + e.points, 0));
    return {
      staffId: first.staffId,
      name: first.name,
      staffNumber: first.staffNumber,
      appraisals: mine.length,
      averageScore: round2(average),
      bestRank: Math.min(...mine.map((r) => r.rank)),
      bonusPoints: sum('bonus'),
      penaltyPoints: sum('penalty'),
      grade: gradeOf(average, fullMarks),
      rank: 0,
    };
  });
  rows.sort((a, b) => b.averageScore - a.averageScore || a.staffNumber.localeCompare(b.staffNumber));
  rows.forEach((r, i) => {
    const previous = rows[i - 1];
    r.rank = previous && previous.averageScore === r.averageScore ? previous.rank : i + 1;
  });
  const grades = Object.fromEntries(GRADES.map((g) => [g, rows.filter((r) => r.grade === g).length])) as Record<Grade, number>;
  return { rows, grades };
}
