import { ticketPrefix, type Ticket } from '../domain/index';
import { formatTicketNumber, maxTicketSequence } from '../format/ticket';
import type { QueueCommandOf } from './commands';
import type { CommandEnv } from './env';
import { zonedInstant, toEpochMs, toTimestamp } from './clock';
import type { Decision } from './rejections';
import { accept, reject } from './rejections';
import { findQueue, queueOffersService } from './setup';
import type { SetupQueue } from './setup';
import { sequenceKey } from './state';
import { releaseUses } from '../release/release';

function numberTaken(env: CommandEnv, day: string, number: string): boolean {
  if (env.ctx.index) return env.ctx.index.numbers.has(`${day}|${number}`);
  return Object.values(env.state.tickets).some((t) => t.day === day && t.number === number);
}

function issuedToday(env: CommandEnv, serviceId: string): number {
  if (env.ctx.index) return env.ctx.index.perService.get(`${env.today}|${serviceId}`) ?? 0;
  let issued = 0;
  for (const t of Object.values(env.state.tickets)) if (t.day === env.today && t.serviceIds.includes(serviceId)) issued++;
  return issued;
}

/**
 * Numbers restart at 1 each hall-local day. A leased sequence must be free; otherwise the
 * next after the highest used, skipping numbers a leased block already took.
 */
function allocateSequence(env: CommandEnv, queue: SetupQueue, kind: Ticket['kind'], requested: number | undefined): { sequence: number } | Decision {
  const prefix = ticketPrefix(queue, kind);
  const max = maxTicketSequence(queue.numberDigits);
  if (requested !== undefined) {
    if (requested > max) return reject('numbers_exhausted', `sequence ${requested} does not fit ${queue.numberDigits} digits`);
    if (numberTaken(env, env.today, formatTicketNumber(prefix, requested, queue.numberDigits))) {
      return reject('number_taken', `number ${formatTicketNumber(prefix, requested, queue.numberDigits)} is already issued today`);
    }
    return { sequence: requested };
  }
  let sequence = (env.state.lastSequence[sequenceKey(queue.id, env.today)] ?? 0) + 1;
  while (sequence <= max && numberTaken(env, env.today, formatTicketNumber(prefix, sequence, queue.numberDigits))) {
    sequence++;
  }
  if (sequence > max) return reject('numbers_exhausted', `queue ${queue.prefix} has issued all ${max} numbers today`);
  return { sequence };
}

/** Daily cap per service (seed: 每日限号); counts every ticket issued today for it, cancelled or not. */
export function checkDailyCaps(env: CommandEnv, serviceIds: readonly string[]): Decision | undefined {
  for (const serviceId of serviceIds) {
    const cap = env.ctx.setup.services.find((s) => s.id === serviceId)?.dailyCap;
    if (cap === undefined) continue;
    if (issuedToday(env, serviceId) >= cap) return reject('daily_cap_reached', `service ${serviceId} has reached its ${cap} tickets for today`);
  }
  return undefined;
}

function checkServices(env: CommandEnv, queue: SetupQueue, serviceIds: readonly string[]): Decision | undefined {
  for (const serviceId of serviceIds) {
    if (!env.ctx.setup.services.some((s) => s.id === serviceId)) return reject('unknown_service', `service ${serviceId} does not exist`);
    if (!queueOffersService(env.ctx.setup, queue, serviceId)) {
      return reject('service_not_in_queue', `service ${serviceId} is not handled by queue ${queue.prefix}`);
    }
  }
  return undefined;
}

interface NewTicket {
  ticketId: string;
  queueId: string;
  serviceIds: string[];
  kind: Ticket['kind'];
  sequence?: number;
  /** The hall's clock when the ticket was taken (commands.ts), if the kiosk sent one. */
  queuedAt?: string;
  extra: Partial<Ticket>;
  skipCaps: boolean;
}

/** How far a kiosk's hall-clock correction may move a ticket's queue time from the command's time (the central API's skew tolerance). */
export const MAX_QUEUE_TIME_CORRECTION_MS = 15 * 60_000;

function queueTime(env: CommandEnv, requested: string | undefined): string {
  if (requested === undefined) return env.at;
  const bounded = Math.min(env.nowMs + MAX_QUEUE_TIME_CORRECTION_MS, Math.max(env.nowMs - MAX_QUEUE_TIME_CORRECTION_MS, toEpochMs(requested)));
  return toTimestamp(bounded);
}

function issue(env: CommandEnv, request: NewTicket): Decision {
  if (env.state.tickets[request.ticketId] !== undefined) {
    return reject('duplicate_ticket_id', `ticket id ${request.ticketId} is already used`);
  }
  const queue = findQueue(env.ctx.setup, request.queueId);
  if (queue === undefined) return reject('unknown_queue', `queue ${request.queueId} does not exist`);
  if (!queue.kinds.includes(request.kind)) {
    return reject('kind_not_offered', `queue ${queue.prefix} does not issue ${request.kind} tickets`);
  }
  const serviceIds = [...new Set(request.serviceIds)];
  const problem = checkServices(env, queue, serviceIds) ?? (request.skipCaps ? undefined : checkDailyCaps(env, serviceIds));
  if (problem !== undefined) return problem;
  const allocated = allocateSequence(env, queue, request.kind, request.sequence);
  if (!('sequence' in allocated)) return allocated;
  const ticket: Ticket = {
    ...request.extra,
    id: request.ticketId,
    hallId: env.ctx.setup.hallId,
    queueId: queue.id,
    day: env.today,
    number: formatTicketNumber(ticketPrefix(queue, request.kind), allocated.sequence, queue.numberDigits),
    kind: request.kind,
    serviceIds,
    issuedAt: env.at,
    queuedAt: queueTime(env, request.queuedAt),
    status: 'waiting',
    callCount: 0,
  };
  return accept({ type: 'ticketIssued', ticket, sequence: allocated.sequence, at: env.at });
}

export function issueTicket(env: CommandEnv, command: QueueCommandOf<'issueTicket'>): Decision {
  if (command.priorityGroupId !== undefined && !env.ctx.rules.priorityGroups.some((g) => g.id === command.priorityGroupId)) {
    return reject('unknown_priority_group', `priority group ${command.priorityGroupId} is not configured`);
  }
  const strayMatter = Object.keys(command.matterCitizens ?? {}).find((id) => !command.serviceIds.includes(id));
  if (strayMatter !== undefined) {
    return reject('matter_not_on_ticket', `a citizen is named for service ${strayMatter}, which is not among the ticket's services`);
  }
  const { release } = command;
  if (release !== undefined) {
    // Every station applies this on the hall's merged state, so a single-use password used at
    // two kiosks during an outage is caught when their mutations meet (mesh or server).
    if (releaseUses(Object.values(env.state.tickets), release.passwordId) >= release.maxUses) {
      return reject('release_used', `release password ${release.serial} has been used ${release.maxUses} time(s)`);
    }
    if ((release.kind === 'special') !== (command.priorityGroupId !== undefined)) {
      return reject('release_mismatch', `a ${release.kind} release ${release.kind === 'special' ? 'needs' : 'sets no'} priority group`);
    }
  }
  return issue(env, {
    ticketId: command.ticketId,
    queueId: command.queueId,
    serviceIds: command.serviceIds,
    kind: command.kind,
    ...(command.sequence === undefined ? {} : { sequence: command.sequence }),
    ...(command.queuedAt === undefined ? {} : { queuedAt: command.queuedAt }),
    // A guide's release is the hall's decision to give a number beyond the citizen quota.
    skipCaps: release !== undefined,
    extra: {
      ...(release === undefined ? {} : { releasePasswordId: release.passwordId }),
      ...(command.priorityGroupId === undefined ? {} : { priorityGroupId: command.priorityGroupId }),
      ...(command.citizen === undefined ? {} : { citizen: command.citizen }),
      ...(command.matterCitizens === undefined || Object.keys(command.matterCitizens).length === 0 ? {} : { matterCitizens: command.matterCitizens }),
      ...(command.deviceId === undefined ? {} : { issuedByDeviceId: command.deviceId }),
    },
  });
}

/**
 * 预约签到. The booked capacity already limited appointments, so daily caps do not apply.
 * Checked in by the end of the slot plus the late allowance, the ticket ranks like a
 * priority group from the slot's start minus the early allowance; later it is a normal ticket.
 */
export function checkIn(env: CommandEnv, command: QueueCommandOf<'checkIn'>): Decision {
  const { appointment } = command;
  if (appointment.status !== 'booked') {
    return reject('appointment_not_booked', `appointment ${appointment.id} is ${appointment.status}, not booked`);
  }
  if (appointment.date !== env.today) {
    return reject('appointment_not_today', `appointment ${appointment.id} is for ${appointment.date}, not today`);
  }
  // Two kiosks may each check the same appointment in while offline: the first to sync wins.
  if (Object.values(env.state.tickets).some((t) => t.appointmentId === appointment.id)) {
    return reject('appointment_checked_in', `appointment ${appointment.id} is already checked in`);
  }
  const service = env.ctx.setup.services.find((s) => s.id === appointment.serviceId);
  if (service === undefined) return reject('unknown_service', `service ${appointment.serviceId} does not exist`);
  const { timeZone } = env.ctx.setup;
  const { appointmentEarlyMinutes, appointmentLateMinutes } = env.ctx.rules;
  const slotStart = zonedInstant(appointment.date, appointment.slot.from, timeZone);
  const slotEnd = zonedInstant(appointment.date, appointment.slot.to, timeZone);
  const onTime = env.nowMs <= slotEnd + appointmentLateMinutes * 60_000;
  return issue(env, {
    ticketId: command.ticketId,
    queueId: service.queueId,
    serviceIds: [service.id, ...(appointment.moreServiceIds ?? [])],
    kind: 'appointment',
    ...(command.sequence === undefined ? {} : { sequence: command.sequence }),
    ...(command.queuedAt === undefined ? {} : { queuedAt: command.queuedAt }),
    skipCaps: true,
    extra: {
      appointmentId: appointment.id,
      citizen: appointment.citizen,
      ...(onTime ? { appointmentPriorityFrom: toTimestamp(slotStart - appointmentEarlyMinutes * 60_000) } : {}),
      ...(command.deviceId === undefined ? {} : { issuedByDeviceId: command.deviceId }),
    },
  });
}
