import {
  caseStage,
  DEFAULT_CASE_RULES,
  openSupplement,
  parseReceiptQr,
  receiptMatches,
  type Case,
  type CaseProgress,
  type CaseProgressResult,
  type CaseProgressStep,
  type Catalogue,
} from '@hall/shared';

/** More would not fit a kiosk screen; a citizen with more is served at the enquiry desk. */
const MAX_SHOWN = 20;

function stepOf(kase: Case): CaseProgressStep {
  switch (kase.status) {
    case 'submitted':
      return 'submitted';
    case 'accepted':
      return 'review';
    case 'approved':
      return 'approved';
    case 'supplement_requested':
      return 'supplement';
    case 'completed':
      return 'collect';
    case 'delivered':
      return 'delivered';
    case 'refused':
      return 'refused';
    case 'withdrawn':
      return 'withdrawn';
    case 'closed':
      return 'closed';
    case 'returned':
      return 'returned';
  }
}

/**
 * One case as the kiosk shows it: the step in plain terms, its time limit (caseStage, the
 * same the supervision lights read) and where the result is. Staff, counters, form values
 * and the citizen's hash stay behind.
 */
export function caseProgress(kase: Case, catalogue: Pick<Catalogue, 'hall' | 'calendar' | 'caseRules'>, nowMs: number): CaseProgress {
  const step = stepOf(kase);
  const stage = caseStage(kase, catalogue.caseRules ?? DEFAULT_CASE_RULES, catalogue.hall, catalogue.calendar);
  // A special procedure's own limit is the department's; the citizen is told the promised date.
  const dueAt = stage.stage === 'done' ? undefined : stage.stage === 'special' ? kase.dueAt : stage.dueAt;
  const open = step === 'supplement' ? openSupplement(kase) : undefined;
  const handover = kase.handover;
  const where = step === 'delivered' && handover ? handover.method : step === 'collect' ? (kase.delivery ?? 'counter') : undefined;
  return {
    caseId: kase.id,
    ...(kase.number === undefined ? {} : { number: kase.number }),
    serviceId: kase.serviceId,
    since: kase.acceptedAt ?? kase.submittedAt,
    ...(kase.citizen ? { maskedName: kase.citizen.maskedName } : {}),
    step,
    ...(dueAt === undefined ? {} : { dueAt }),
    overdue: dueAt !== undefined && Date.parse(dueAt) < nowMs,
    ...(open ? { missing: open.items.map((i) => i.note) } : {}),
    ...(where ? { where } : {}),
    ...(step === 'delivered' && handover?.method === 'post' ? { courier: handover.courier, trackingNumber: handover.trackingNumber } : {}),
    ...(step === 'refused' && kase.refusalReason ? { refusalReason: kase.refusalReason.slice(0, 200) } : {}),
  };
}

/**
 * The receipt QR's case, only when its token matches the case's (checked here against the
 * replicated cases, so it works offline). A forged token and another hall's case answer
 * the same: nothing tells a guesser which case ids exist.
 */
export function progressByReceipt(cases: Readonly<Record<string, Case>>, payload: string, catalogue: Catalogue, nowMs: number): CaseProgressResult {
  const parsed = parseReceiptQr(payload);
  if (!parsed) return { ok: false, problem: 'receipt_unreadable' };
  const kase = Object.hasOwn(cases, parsed.caseId) ? cases[parsed.caseId] : undefined;
  if (!kase || !receiptMatches(kase, parsed.token)) return { ok: false, problem: 'receipt_not_found' };
  return { ok: true, cases: [caseProgress(kase, catalogue, nowMs)] };
}

/** Every case of the citizen (by keyed ID hash) in the hall, newest first. */
export function progressOfCitizen(cases: Readonly<Record<string, Case>>, idHash: string, catalogue: Catalogue, nowMs: number): CaseProgressResult {
  const mine = Object.values(cases)
    .filter((c) => c.citizen?.idHash === idHash)
    .sort((a, b) => (b.acceptedAt ?? b.submittedAt).localeCompare(a.acceptedAt ?? a.submittedAt))
    .slice(0, MAX_SHOWN);
  return { ok: true, cases: mine.map((c) => caseProgress(c, catalogue, nowMs)) };
}
