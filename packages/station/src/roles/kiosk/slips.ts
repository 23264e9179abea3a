import {
  estimateWait,
  evaluateDecisionTree,
  setupFromCatalogue,
  ticketMatters,
  type Catalogue,
  type HallState,
  type Material,
  type Ticket,
} from '@hall/shared';
import { renderTicket, type RenderedSlip, type TicketSlip } from '@hall/devices';
import { oneTimeNotice } from '../slipWording';

export interface TicketFacts {
  slip: TicketSlip;
  serviceNames: string[];
  ahead: number;
  estimatedWaitMinutes?: number;
  followUrl: string;
  counterNumbers: string[];
}

/** The windows that call this queue, in their numbering order ("2" before "10"). */
export function servingCounterNumbers(catalogue: Pick<Catalogue, 'counters'>, queueId: string): string[] {
  return catalogue.counters
    .filter((c) => c.queueIds.includes(queueId))
    .map((c) => c.number)
    .sort((a, b) => a.localeCompare(b, 'zh-CN', { numeric: true }));
}

/** 主从号 lines: each matter's sub number, service and (masked) citizen. */
function slipMatters(catalogue: Catalogue, ticket: Ticket): NonNullable<TicketSlip['matters']> {
  return ticketMatters(ticket).map((m) => ({
    number: m.number,
    service: (catalogue.services.find((s) => s.id === m.serviceId)?.name.zh ?? m.serviceId).slice(0, 40),
    ...(m.citizen ? { citizen: m.citizen.maskedName } : {}),
  }));
}

/** What the slip and the screen both say about a ticket: the same facts, from one place. */
/** `followReference` signs the ticket's follow link (followLink.ts). */
export function ticketFacts(
  catalogue: Catalogue,
  state: HallState,
  ticket: Ticket,
  now: number,
  followUrlBase: string,
  followReference: (ticketId: string) => string,
): TicketFacts {
  const serviceNames = ticket.serviceIds.map((id) => catalogue.services.find((s) => s.id === id)?.name.zh ?? id);
  const estimate = estimateWait(state.queue, ticket.queueId, { now, rules: catalogue.callingRules, setup: setupFromCatalogue(catalogue) }, ticket.id);
  const estimatedWaitMinutes = estimate.waitSeconds === undefined ? undefined : Math.max(1, Math.round(estimate.waitSeconds / 60));
  const followUrl = `${followUrlBase.replace(/\/$/, '')}/${followReference(ticket.id)}`;
  const counterNumbers = servingCounterNumbers(catalogue, ticket.queueId);
  const slip: TicketSlip = {
    hallName: catalogue.hall.name.zh.slice(0, 40),
    number: ticket.number,
    services: serviceNames.map((n) => n.slice(0, 40)),
    ...(ticket.serviceIds.length > 1 ? { matters: slipMatters(catalogue, ticket) } : {}),
    ...(ticket.kind === 'consultation' ? { kindLabel: '咨询', kindLabelEnglish: 'consultation' } : {}),
    counterNumbers: counterNumbers.slice(0, 30),
    ahead: estimate.ahead,
    ...(estimatedWaitMinutes === undefined ? {} : { estimatedWaitMinutes }),
    issuedAt: ticket.issuedAt,
    followUrl,
    english: false,
    timeZone: catalogue.hall.timeZone,
  };
  return { slip, serviceNames, ahead: estimate.ahead, ...(estimatedWaitMinutes === undefined ? {} : { estimatedWaitMinutes }), followUrl, counterNumbers };
}

export function renderTicketSlip(facts: TicketFacts): RenderedSlip {
  return renderTicket(facts.slip);
}

function describeMaterial(m: Material): string {
  const counts = [m.originals > 0 ? `原件${m.originals}份` : '', m.copies > 0 ? `复印件${m.copies}份` : ''].filter(Boolean).join('、');
  const forms = [m.blankFormRef ? `空表 ${m.blankFormRef}` : '', m.sampleFormRef ? `样表 ${m.sampleFormRef}` : ''].filter(Boolean).join('，');
  return [m.required ? m.name : `${m.name}（如有）`, counts, forms].filter(Boolean).join(' · ').slice(0, 200);
}

/** The one-time notice (一次性告知单) for a service and the situation the answers lead to. */
export function noticeSlip(
  catalogue: Catalogue,
  serviceId: string,
  answers: Record<string, string[]>,
  now: number,
): { rendered: RenderedSlip; materials: Material[] } | undefined {
  const service = catalogue.services.find((s) => s.id === serviceId);
  if (!service) return undefined;
  const evaluation = evaluateDecisionTree(service, answers);
  const materials = evaluation.outcome.type === 'situation' || evaluation.outcome.type === 'no_tree' ? evaluation.materials : service.materials;
  const situation = evaluation.outcome.type === 'situation' ? evaluation.outcome.situation.name.zh : undefined;
  const notes = [
    ...(situation ? [`情形：${situation}`] : []),
    `办理地点：${service.guide.place}`,
    `承诺时限：${service.guide.promisedDays === 0 ? '即办' : `${service.guide.promisedDays}个工作日`}`,
    `收费：${service.guide.fees.description}`,
  ];
  const rendered = oneTimeNotice(catalogue, service, { materials: materials.map(describeMaterial), notes, issuedAt: new Date(now).toISOString() });
  return { rendered, materials };
}
