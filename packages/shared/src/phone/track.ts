import { z } from 'zod';
import { LocalizedTextSchema } from '../domain/common';
import { CaseStepKindSchema, DEFAULT_CASE_RULES, type Case } from '../domain/index';
import { CaseProgressSchema, type CaseProgress, type CaseProgressStep } from '../station-api/caseProgress';
import { caseStage, openSupplement } from '../sync/caseLifecycle';
import type { Catalogue } from '../sync/messages';

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
 * One case as a citizen is shown it (the kiosk's 办件进度查询 and the phone's track page): the
 * step in plain terms, its time limit (caseStage, the same the supervision lights read) and
 * where the result is. Staff, counters, form values and the citizen's hash stay behind.
 */
export function caseProgress(kase: Case, catalogue: Pick<Catalogue, 'hall' | 'calendar' | 'caseRules' | 'cityHalls'>, nowMs: number): CaseProgress {
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
    // 物料流转: where the paper is, and since when ("您的材料在 …").
    ...(kase.handoff ? { papersAt: kase.handoff.step, papersSince: kase.handoff.since } : {}),
    ...(kase.handoff && kase.handoff.hallId !== kase.hallId ? { papersHall: hallName(catalogue, kase.handoff.hallId) } : {}),
  };
}

/** A hall of the city by name; its id when the catalogue does not list it (an older server). */
export function hallName(catalogue: Pick<Catalogue, 'hall' | 'cityHalls'>, hallId: string): { zh: string; en?: string } {
  if (hallId === catalogue.hall.id) return catalogue.hall.name;
  return catalogue.cityHalls?.find((h) => h.id === hallId)?.name ?? { zh: hallId };
}

/**
 * The phone's track page (the receipt's QR, `/track/<caseId>.<token>`): the kiosk's progress
 * plus the names it resolves from its catalogue and the timeline as dates and step kinds only
 * (no staff, no counters, no notes: a note may name people).
 */
export const TrackViewSchema = z.object({
  progress: CaseProgressSchema,
  hallName: LocalizedTextSchema,
  /** The hall's time zone: dates read as the hall's calendar says them. */
  timeZone: z.string(),
  serviceName: LocalizedTextSchema,
  /** 容缺受理: materials accepted as pending, still to bring (the catalogue names materials in Chinese only). */
  pendingMaterials: z.array(z.string()).max(50),
  timeline: z.array(z.object({ at: z.string(), kind: CaseStepKindSchema })).max(200),
});
export type TrackView = z.infer<typeof TrackViewSchema>;

/** At most this many steps on a phone; the newest are kept. */
const MAX_STEPS = 200;

export function trackView(kase: Case, catalogue: Pick<Catalogue, 'hall' | 'calendar' | 'caseRules' | 'services'>, nowMs: number): TrackView {
  const service = catalogue.services.find((s) => s.id === kase.serviceId);
  const materials = new Map((service?.materials ?? []).map((m) => [m.id, m.name]));
  return {
    progress: caseProgress(kase, catalogue, nowMs),
    hallName: catalogue.hall.name,
    timeZone: catalogue.hall.timeZone,
    serviceName: service?.name ?? { zh: kase.serviceId },
    pendingMaterials: kase.pendingMaterialIds.slice(0, 50).map((id) => materials.get(id) ?? id),
    timeline: kase.timeline.slice(-MAX_STEPS).map((s) => ({ at: s.at, kind: s.kind })),
  };
}
