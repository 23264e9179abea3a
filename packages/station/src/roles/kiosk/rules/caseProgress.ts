import { caseProgress, LocalRejection, parseReceiptQr, receiptMatches, type Case, type CaseProgressResult, type Catalogue } from '@hall/shared';

// caseProgress, the view itself, is shared with the phone's track page (packages/shared/src/phone/track.ts).

/** More would not fit a kiosk screen; a citizen with more is served at the enquiry desk. */
const MAX_SHOWN = 20;

/**
 * The receipt QR's case, only when its token matches the case's (checked here against the
 * replicated cases, so it works offline). A forged token and another hall's case answer
 * the same: nothing tells a guesser which case ids exist.
 */
export function progressByReceipt(cases: Readonly<Record<string, Case>>, payload: string, catalogue: Catalogue, nowMs: number): CaseProgressResult {
  const parsed = parseReceiptQr(payload);
  if (!parsed) throw new LocalRejection('receipt_unreadable', 'this is not an acceptance receipt');
  const kase = Object.hasOwn(cases, parsed.caseId) ? cases[parsed.caseId] : undefined;
  if (!kase || !receiptMatches(kase, parsed.token)) throw new LocalRejection('receipt_not_found', 'no case of this hall opens with this receipt');
  return { cases: [caseProgress(kase, catalogue, nowMs)] };
}

/** Every case of the citizen (by keyed ID hash) in the hall, newest first. */
export function progressOfCitizen(cases: Readonly<Record<string, Case>>, idHash: string, catalogue: Catalogue, nowMs: number): CaseProgressResult {
  const mine = Object.values(cases)
    .filter((c) => c.citizen?.idHash === idHash)
    .sort((a, b) => (b.acceptedAt ?? b.submittedAt).localeCompare(a.acceptedAt ?? a.submittedAt))
    .slice(0, MAX_SHOWN);
  return { cases: mine.map((c) => caseProgress(c, catalogue, nowMs)) };
}
