import { z } from 'zod';
import {
  DEFAULT_CASE_RULES,
  FINAL_HANDOFF_STEPS,
  HANDOFF_STEPS,
  HandoffItemSchema,
  HandoffStepSchema,
  IdSchema,
  TimestampSchema,
  type Case,
  type CaseHandoff,
  type CaseStatus,
  type HandoffMove,
  type HandoffStep,
} from '../domain/index';
import { receiptMatches } from './caseLifecycle';
import type { HallState } from './state';

/**
 * 物料流转 (issue 17): two intents, decided by the same code on a station and on the central API.
 * `startHandoff` (a counter) puts one or more accepted cases under one slip; `signHandoff` (any
 * receiving desk: a counter by sync mutation, the back office through the central API) moves
 * the paper of the slip's cases to the desk's step.
 *
 * Double sign-in rule: sign-ins are decided in the hall's agreed order (the server's log, and
 * on stations the same HLC order), so the first sign-in at a step takes the paper; a later one
 * at the same step is recorded as a `duplicate` move and shown, never silently dropped. A desk
 * scanning live is told before it sends anything (checkHandoffScan refuses `already_signed`).
 */

const TokenSchema = z.string().regex(/^[A-Za-z0-9_-]{22,64}$/);

export const StartHandoffPayloadSchema = z.object({
  handoffId: IdSchema,
  /** 流转编号 (the counter numbers it, like the case number). */
  number: z.string().min(1).max(60),
  token: TokenSchema,
  staffId: IdSchema,
  counterId: IdSchema,
  /** The cases under this slip and each one's papers (the checklist as edited by the clerk). */
  cases: z
    .array(z.object({ caseId: IdSchema, items: z.array(HandoffItemSchema).min(1).max(100) }))
    .min(1)
    .max(30),
  /** 跨厅流转: another hall of the city whose desk takes the paper (absent: this hall's own desks). */
  toHallId: IdSchema.optional(),
  at: TimestampSchema,
});
export type StartHandoffPayload = z.infer<typeof StartHandoffPayloadSchema>;

export const HandoffMarkSchema = z.object({
  caseId: IdSchema,
  missing: z.array(IdSchema).max(100).default([]),
  extra: z.array(z.string().trim().min(1).max(80)).max(50).default([]),
});
export type HandoffMark = z.infer<typeof HandoffMarkSchema>;

export const SignHandoffPayloadSchema = z.object({
  handoffId: IdSchema,
  /** The slip code's token: proof the desk holds the slip. */
  token: TokenSchema,
  step: HandoffStepSchema,
  /** The receiving desk's hall (another hall's desk for 跨厅流转). */
  hallId: IdSchema,
  staffId: IdSchema.optional(),
  counterId: IdSchema.optional(),
  /** Only these cases of the package (one by one); absent: the whole package. */
  caseIds: z.array(IdSchema).min(1).max(30).optional(),
  /** What the desk found missing or extra, per case. */
  marks: z.array(HandoffMarkSchema).max(30).default([]),
  note: z.string().trim().max(200).optional(),
  at: TimestampSchema,
});
export type SignHandoffPayload = z.infer<typeof SignHandoffPayloadSchema>;

export const HANDOFF_TYPES = ['startHandoff', 'signHandoff'] as const;
export type HandoffType = (typeof HANDOFF_TYPES)[number];
export const HANDOFF_PAYLOAD_SCHEMAS = { startHandoff: StartHandoffPayloadSchema, signHandoff: SignHandoffPayloadSchema } as const;
export type HandoffIntent = { type: 'startHandoff'; payload: StartHandoffPayload } | { type: 'signHandoff'; payload: SignHandoffPayload };

export function isHandoffType(type: string): type is HandoffType {
  return type in HANDOFF_PAYLOAD_SCHEMAS;
}

export type HandoffRefusalCode =
  | 'not_a_slip'
  | 'other_hall'
  | 'forged_code'
  | 'unknown_case'
  | 'case_not_accepted'
  | 'handoff_moving'
  | 'duplicate_handoff_id'
  | 'not_in_package'
  | 'unknown_item'
  | 'already_signed'
  | 'wrong_step'
  | 'case_not_ready'
  | 'case_ended';
export type HandoffRefusal = { ok: false; code: HandoffRefusalCode; reason: string };
export type HandoffVerdict = { ok: true; cases: Case[] } | HandoffRefusal;

const refuse = (code: HandoffRefusalCode, reason: string): HandoffRefusal => ({ ok: false, code, reason });

/** Statuses whose paper is no longer the hall's to move (the case ended before a result). */
const ENDED: readonly CaseStatus[] = ['refused', 'withdrawn', 'closed'];
/** A result exists or is being made: production and the delivery counter take such papers only. */
const RESULT_READY: readonly CaseStatus[] = ['approved', 'completed', 'delivered', 'returned'];
const RESULT_DONE: readonly CaseStatus[] = ['completed', 'delivered', 'returned'];

const stepIndex = (step: HandoffStep): number => HANDOFF_STEPS.indexOf(step);

/** The cases of a hall under one slip (a package has several). */
export function handoffCases(cases: HallState['cases'], handoffId: string): Case[] {
  return Object.values(cases)
    .filter((c) => c.handoff?.id === handoffId)
    .sort((a, b) => (a.number ?? a.id).localeCompare(b.number ?? b.id));
}

export function decideStartHandoff(state: Pick<HallState, 'cases'>, p: StartHandoffPayload, hallId: string): HandoffVerdict {
  const listed = new Set(p.cases.map((c) => c.caseId));
  if (listed.size !== p.cases.length) return refuse('not_in_package', 'a case is listed twice on the slip');
  const taken = handoffCases(state.cases, p.handoffId).find((c) => !listed.has(c.id));
  if (taken) return refuse('duplicate_handoff_id', `hand-off id ${p.handoffId} is already another slip's`);
  const out: Case[] = [];
  for (const entry of p.cases) {
    const kase = state.cases[entry.caseId];
    if (!kase) return refuse('unknown_case', `case ${entry.caseId} does not exist`);
    if (kase.status === 'submitted' || ENDED.includes(kase.status)) return refuse('case_not_accepted', `a hand-off follows an accepted case; case ${kase.number ?? kase.id} is ${kase.status}`);
    // Rebundling is the counter's own business until the paper leaves it; after that the slip is the paper's proof.
    if (kase.handoff && kase.handoff.step !== 'acceptance') return refuse('handoff_moving', `the paper of case ${kase.number ?? kase.id} already went on (hand-off ${kase.handoff.number}, at ${kase.handoff.step})`);
    const handoff: CaseHandoff = {
      id: p.handoffId,
      number: p.number,
      token: p.token,
      items: entry.items,
      step: 'acceptance',
      hallId,
      since: kase.handoff?.since ?? p.at,
      startedAt: p.at,
      startedByStaffId: p.staffId,
      counterId: p.counterId,
      ...(p.toHallId !== undefined && p.toHallId !== hallId ? { toHallId: p.toHallId } : {}),
      moves: kase.handoff?.moves ?? [],
    };
    out.push({ ...kase, handoff });
  }
  return { ok: true, cases: out };
}

/** Constant-time token comparison (a slip's code is a capability, like the receipt's). */
export function handoffTokenMatches(handoff: Pick<CaseHandoff, 'token'> | undefined, token: string): boolean {
  return receiptMatches({ receiptToken: handoff?.token }, token);
}

/**
 * 跨厅流转 rule: a desk signs a case's paper in when the desk is in the case's own hall, in the
 * hall the paper is at now, or in the hall the slip sends it to. Any other hall's desk is refused
 * (`other_hall`), even holding a genuine slip.
 */
export function handoffDeskHallMaySign(kase: Pick<Case, 'hallId' | 'handoff'>, deskHallId: string): boolean {
  const h = kase.handoff;
  return kase.hallId === deskHallId || h?.hallId === deskHallId || h?.toHallId === deskHallId;
}

/** Whether a case's status lets its paper reach `step`. */
function readyFor(kase: Case, step: HandoffStep): HandoffRefusal | undefined {
  if (ENDED.includes(kase.status)) return refuse('case_ended', `case ${kase.number ?? kase.id} is ${kase.status}; its paper goes nowhere`);
  if ((step === 'production' || step === 'delivery') && !RESULT_READY.includes(kase.status)) {
    return refuse('case_not_ready', `case ${kase.number ?? kase.id} is ${kase.status}; ${step} takes the paper of an approved case`);
  }
  if (FINAL_HANDOFF_STEPS.includes(step) && !RESULT_DONE.includes(kase.status)) {
    return refuse('case_not_ready', `case ${kase.number ?? kase.id} is ${kase.status}; the result leaves the hall once the case is completed`);
  }
  return undefined;
}

/**
 * A sign-in at a desk. The whole scan is refused when any of its cases may not move there (a
 * package scanned at the wrong step, a case not ready): nothing is recorded half. A case already
 * at the step gets a `duplicate` move (see the rule above); a case whose paper is past the step
 * refuses the scan as `wrong_step`.
 */
export function decideSignHandoff(state: Pick<HallState, 'cases'>, p: SignHandoffPayload): HandoffVerdict {
  const all = handoffCases(state.cases, p.handoffId);
  if (all.length === 0) return refuse('forged_code', 'no slip of this hall has this code');
  if (!all.every((c) => handoffTokenMatches(c.handoff, p.token))) return refuse('forged_code', 'the slip code does not match its hand-off (altered, or replaced by a newer slip)');
  const chosen = p.caseIds ? new Set(p.caseIds) : new Set(all.map((c) => c.id));
  const targets = all.filter((c) => chosen.has(c.id));
  if (targets.length !== chosen.size) return refuse('not_in_package', 'a case named is not on this slip');
  const marks = new Map(p.marks.map((m) => [m.caseId, m]));
  for (const caseId of marks.keys()) if (!chosen.has(caseId)) return refuse('not_in_package', `case ${caseId} is not signed in with this scan`);
  const elsewhere = targets.find((c) => !handoffDeskHallMaySign(c, p.hallId));
  if (elsewhere) return refuse('other_hall', `the paper of case ${elsewhere.number ?? elsewhere.id} does not go to hall ${p.hallId}`);
  const out: Case[] = [];
  for (const kase of targets) {
    const handoff = kase.handoff!;
    const mark = marks.get(kase.id);
    const unknownItem = mark?.missing.find((id) => !handoff.items.some((item) => item.id === id));
    if (unknownItem) return refuse('unknown_item', `item ${unknownItem} is not on the slip of case ${kase.number ?? kase.id}`);
    const duplicate = handoff.step === p.step;
    if (!duplicate) {
      if (FINAL_HANDOFF_STEPS.includes(handoff.step) || stepIndex(p.step) < stepIndex(handoff.step)) {
        return refuse('wrong_step', `the paper of case ${kase.number ?? kase.id} is already past ${p.step} (at ${handoff.step})`);
      }
      const notReady = readyFor(kase, p.step);
      if (notReady) return notReady;
    }
    const move: HandoffMove = {
      at: p.at,
      from: handoff.step,
      to: p.step,
      hallId: p.hallId,
      missing: mark?.missing ?? [],
      extra: mark?.extra ?? [],
      result: duplicate ? 'duplicate' : 'signed',
      ...(p.staffId === undefined ? {} : { staffId: p.staffId }),
      ...(p.counterId === undefined ? {} : { counterId: p.counterId }),
      ...(p.note === undefined ? {} : { note: p.note }),
    };
    const moved = duplicate ? handoff : { ...handoff, step: p.step, hallId: p.hallId, since: p.at };
    out.push({ ...kase, handoff: { ...moved, moves: [...handoff.moves, move] } });
  }
  return { ok: true, cases: out };
}

export function decideHandoff(state: Pick<HallState, 'cases'>, intent: HandoffIntent, hallId: string): HandoffVerdict {
  return intent.type === 'startHandoff' ? decideStartHandoff(state, intent.payload, hallId) : decideSignHandoff(state, intent.payload);
}

/* ---------- the slip's code ---------- */

const SLIP_CODE = /^hall:handoff:([A-Za-z0-9_.-]{1,64}):([A-Za-z0-9_-]{1,64}):([A-Za-z0-9_-]{22,64})$/;

/** The slip's QR: `hall:handoff:<hallId>:<handoffId>:<token>` (the hall first, so another hall's slip is told apart from a forged one). */
export function handoffSlipCode(hallId: string, handoff: Pick<CaseHandoff, 'id' | 'token'>): string {
  return `hall:handoff:${hallId}:${handoff.id}:${handoff.token}`;
}

export function parseHandoffSlipCode(text: string): { hallId: string; handoffId: string; token: string } | undefined {
  const trimmed = text.trim();
  if (trimmed.length > 220) return undefined;
  const match = SLIP_CODE.exec(trimmed);
  return match ? { hallId: match[1]!, handoffId: match[2]!, token: match[3]! } : undefined;
}

export type HandoffScan = Omit<SignHandoffPayload, 'handoffId' | 'token' | 'marks' | 'at'> & { marks?: HandoffMark[]; at: string };

/**
 * What a desk does with a scanned code, before anything is sent: refuses another hall's slip, a
 * forged or altered code, a slip already signed at this step, a package at the wrong step, and
 * otherwise gives the sign-in to send and the cases as they will be.
 */
export function checkHandoffScan(state: Pick<HallState, 'cases'>, hallId: string, code: string, scan: HandoffScan): { ok: true; payload: SignHandoffPayload; cases: Case[] } | HandoffRefusal {
  const parsed = parseHandoffSlipCode(code);
  if (!parsed) return refuse('not_a_slip', 'this code is not a hand-off slip (物料流转单)');
  // Another hall's slip is refused unless its paper goes to (or already is in) this hall; `state` is then the slip's hall's.
  // (The code's hall must be the cases' own: a code naming another hall for this hall's slip is altered.)
  const slipCases = parsed.hallId === hallId ? [] : handoffCases(state.cases, parsed.handoffId);
  if (parsed.hallId !== hallId && (slipCases.length === 0 || !slipCases.every((c) => c.hallId === parsed.hallId && handoffDeskHallMaySign(c, hallId)))) {
    return refuse('other_hall', `this slip belongs to another hall (${parsed.hallId}) and its paper does not come here`);
  }
  const payload = SignHandoffPayloadSchema.parse({ ...scan, handoffId: parsed.handoffId, token: parsed.token, marks: scan.marks ?? [] });
  const verdict = decideSignHandoff(state, payload);
  if (!verdict.ok) return verdict;
  const duplicate = verdict.cases.find((c) => c.handoff?.moves.at(-1)?.result === 'duplicate');
  if (duplicate) {
    const first = duplicate.handoff!.moves.filter((m) => m.to === scan.step && m.result === 'signed').at(-1);
    return refuse('already_signed', `the slip was already signed in at ${scan.step}${first ? ` at ${first.at}` : ''}`);
  }
  return { ok: true, payload, cases: verdict.cases };
}

/* ---------- where the paper is ---------- */

/** Default limit a paper may sit at one desk before the supervision page shows it (calendar hours; the hall sets its own in the case rules). */
export const HANDOFF_STEP_LIMIT_HOURS = DEFAULT_CASE_RULES.handoffStepLimitHours;

export function handoffWhere(kase: Pick<Case, 'handoff'>): { step: HandoffStep; hallId: string; since: string; number: string } | undefined {
  const h = kase.handoff;
  return h ? { step: h.step, hallId: h.hallId, since: h.since, number: h.number } : undefined;
}

/** Whether the case's paper has sat at its (non-final) desk longer than the limit. */
export function handoffOverdue(kase: Pick<Case, 'handoff' | 'status'>, now: Date, limitHours = HANDOFF_STEP_LIMIT_HOURS): boolean {
  const h = kase.handoff;
  if (!h || FINAL_HANDOFF_STEPS.includes(h.step) || ENDED.includes(kase.status)) return false;
  return now.getTime() - Date.parse(h.since) > limitHours * 3_600_000;
}

/** The desk names the slip, the timeline and the kiosk use ("您的材料在 …"). */
export const HANDOFF_STEP_NAMES: Record<HandoffStep, { zh: string; en: string }> = {
  acceptance: { zh: '受理窗口', en: 'acceptance counter' },
  review: { zh: '后台审查', en: 'back-office review' },
  approval: { zh: '审批', en: 'approval' },
  production: { zh: '证照制作', en: 'certificate production' },
  delivery: { zh: '出件窗口', en: 'delivery counter' },
  citizen: { zh: '已交申请人', en: 'handed to the applicant' },
  locker: { zh: '智能文件柜', en: 'locker' },
  post: { zh: '已寄出', en: 'posted' },
};
