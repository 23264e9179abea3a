import type { StationRole } from './messages';
import { COUNTER_LIFECYCLE_TYPES } from './caseLifecycle';
import { isQueueIntent, type AnyIntent, type MutationType } from './mutation';
import type { HallState } from './state';

/**
 * Which device roles may ORIGINATE each mutation type: what each station role's code
 * actually sends, nothing more (least privilege). The central API rejects a mutation whose
 * origin device (not the pusher: the hall mesh relays peers' mutations) has another role;
 * stations refuse locally what their own role may not send.
 *
 * - kiosk: numbers (issueTicket, incl. pickup tickets), appointment check-in, the citizen's form.
 * - counter: the counter's queue commands, transfer and 一号联办 (addService), a case opened at
 *   the counter (submitForm), the case outcomes and the rating pad's evaluation.
 * - display, locker: nothing (they read the hall; the locker talks to its own API).
 * - cancelTicket: no station sends it today, so no role may.
 */
export const MUTATION_ROLES = {
  issueTicket: ['kiosk'],
  checkIn: ['kiosk'],
  callNext: ['counter'],
  callSpecific: ['counter'],
  recall: ['counter'],
  markMissed: ['counter'],
  startServing: ['counter'],
  finish: ['counter'],
  transfer: ['counter'],
  addService: ['counter'],
  cancelTicket: [],
  openCounter: ['counter'],
  closeCounter: ['counter'],
  pauseCounter: ['counter'],
  resumeCounter: ['counter'],
  submitForm: ['kiosk', 'counter'],
  acceptCase: ['counter'],
  refuseCase: ['counter'],
  chooseDelivery: ['counter'],
  recordEvaluation: ['counter'],
  requestConsult: ['counter'],
  requestSupplement: ['counter'],
  recordSupplement: ['counter'],
  completeCase: ['counter'],
  handOverResult: ['counter'],
  requestWithdrawal: ['counter'],
  // The back office, hall managers and the system act through the central API only.
  answerConsult: [],
  approveCase: [],
  denyCase: [],
  transferCase: [],
  startSpecialProcedure: [],
  endSpecialProcedure: [],
  approveWithdrawal: [],
  closeOverdueCase: [],
  returnResult: [],
  // 到号前短信提醒: the citizen leaves a phone at the kiosk after taking the ticket.
  requestPositionSms: ['kiosk'],
  // 已阅 of a staff announcement by the clerk signed in at the counter (issue 20).
  readStaffAnnouncement: ['counter'],
  // 物料流转: a counter starts and bundles slips; any counter (the delivery counter) signs one in; the back office signs through the central API.
  startHandoff: ['counter'],
  signHandoff: ['counter'],
} as const satisfies Record<MutationType, readonly StationRole[]>;

/** Counter mutations: a counter device sends them for its own counter only (the one it is bound to). */
export const COUNTER_BOUND_TYPES = [
  'callNext',
  'callSpecific',
  'recall',
  'markMissed',
  'startServing',
  'finish',
  'transfer',
  'addService',
  'openCounter',
  'closeCounter',
  'pauseCounter',
  'resumeCounter',
  'acceptCase',
  'refuseCase',
  'chooseDelivery',
  'recordEvaluation',
  ...COUNTER_LIFECYCLE_TYPES,
  'readStaffAnnouncement',
  'startHandoff',
  'signHandoff',
] as const satisfies readonly MutationType[];

const COUNTER_BOUND: ReadonlySet<string> = new Set(COUNTER_BOUND_TYPES);

export function mayOriginate(role: StationRole, type: MutationType): boolean {
  return (MUTATION_ROLES[type] as readonly StationRole[]).includes(role);
}

/** The device a mutation is decided as: its role and, for a counter device, the counter it is bound to. */
export interface OriginDevice {
  id: string;
  role: StationRole;
  counterId?: string | null | undefined;
}

export type OriginRefusal = { ok: false; code: 'forbidden_for_role' | 'counter_not_bound' | 'not_own_counter'; reason: string };

/**
 * The counter a counter mutation acts for: named in the command or payload, or for those
 * naming none, the counter holding the ticket (addService) or that served the case's
 * ticket (chooseDelivery). Undefined when the state gives no counter (the executor then
 * decides on the ticket or case it cannot find).
 */
export function actingCounter(intent: AnyIntent, state: HallState): string | undefined {
  if (isQueueIntent(intent)) {
    const command = intent.command;
    if ('counterId' in command && typeof command.counterId === 'string') return command.counterId;
    if (command.type === 'addService') return state.queue.tickets[command.ticketId]?.counterId;
    return undefined;
  }
  switch (intent.type) {
    case 'acceptCase':
    case 'refuseCase':
    case 'recordEvaluation':
    case 'requestConsult':
    case 'recordSupplement':
    case 'requestWithdrawal':
    case 'readStaffAnnouncement':
    case 'startHandoff':
      return intent.payload.counterId;
    case 'requestSupplement':
    case 'completeCase':
    case 'handOverResult':
    case 'signHandoff':
      // Optional for the back office; a counter device must name its own counter (fail closed).
      return intent.payload.counterId ?? '';
    case 'chooseDelivery': {
      if (intent.payload.counterId !== undefined) return intent.payload.counterId;
      const ticketId = state.cases[intent.payload.caseId]?.ticketId;
      return ticketId === undefined ? undefined : state.queue.tickets[ticketId]?.counterId;
    }
    case 'submitForm':
    case 'answerConsult':
    case 'approveCase':
    case 'denyCase':
    case 'transferCase':
    case 'startSpecialProcedure':
    case 'endSpecialProcedure':
    case 'approveWithdrawal':
    case 'closeOverdueCase':
    case 'returnResult':
      return undefined;
  }
}

/** The role check alone: it needs nothing but the type, so it runs before the payload is read. */
export function checkOriginRole(origin: OriginDevice, type: MutationType): OriginRefusal | undefined {
  if (mayOriginate(origin.role, type)) return undefined;
  return { ok: false, code: 'forbidden_for_role', reason: `a ${origin.role} device may not send ${type} (device ${origin.id})` };
}

/**
 * Whether `origin` may have made `intent` on `state`: its role may send the type and, for
 * counter mutations, the counter acted for is the one the device is bound to. A counter
 * device bound to no counter sends no counter mutation (fail closed).
 */
export function checkOrigin(origin: OriginDevice, intent: AnyIntent, state: HallState): OriginRefusal | undefined {
  const byRole = checkOriginRole(origin, intent.type);
  if (byRole) return byRole;
  if (!COUNTER_BOUND.has(intent.type)) return undefined;
  if (!origin.counterId) {
    return { ok: false, code: 'counter_not_bound', reason: `counter device ${origin.id} is bound to no counter; a hall manager binds it in the console` };
  }
  const acting = actingCounter(intent, state);
  if (acting !== undefined && acting !== origin.counterId) {
    return { ok: false, code: 'not_own_counter', reason: `device ${origin.id} serves counter ${origin.counterId}; ${intent.type} acts for counter ${acting}` };
  }
  return undefined;
}
