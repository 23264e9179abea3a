import type { CallingRules } from '../domain/index';
import type { QueueCommand } from './commands';
import { handleQueueCommand } from './engine';
import type { QueueEvent } from './events';
import type { QueueContext, QueueSetup } from './setup';
import type { QueueState } from './state';

/**
 * A small hall for engine tests (here and in other packages): queue A (户政, services
 * hz1 and hz2, hz2 capped at 3 a day), queue B (出入境, crj1). Counter 1 serves hz1 before
 * hz2, counter 2 only hz2, counter 3 queue B, counter 4 both queues.
 */
export function makeTestSetup(): QueueSetup {
  return {
    hallId: 'hall-test',
    timeZone: 'Asia/Shanghai',
    queues: [
      { id: 'qa', prefix: 'A', serviceIds: ['hz1', 'hz2'], kinds: ['walk_in', 'appointment', 'consultation'], numberDigits: 3 },
      { id: 'qb', prefix: 'B', serviceIds: ['crj1'], kinds: ['walk_in', 'appointment'], numberDigits: 3 },
    ],
    counters: [
      { id: 'c1', number: '1', services: [{ serviceId: 'hz1', priority: 1 }, { serviceId: 'hz2', priority: 2 }], queueIds: ['qa'] },
      { id: 'c2', number: '2', services: [{ serviceId: 'hz2', priority: 1 }], queueIds: ['qa'] },
      { id: 'c3', number: '3', services: [{ serviceId: 'crj1', priority: 1 }], queueIds: ['qb'] },
      {
        id: 'c4',
        number: '4',
        services: [{ serviceId: 'hz1', priority: 1 }, { serviceId: 'hz2', priority: 1 }, { serviceId: 'crj1', priority: 1 }],
        queueIds: ['qa', 'qb'],
      },
    ],
    services: [
      { id: 'hz1', queueId: 'qa' },
      { id: 'hz2', queueId: 'qa', dailyCap: 3 },
      { id: 'crj1', queueId: 'qb' },
    ],
  };
}

export function makeTestRules(overrides: Partial<CallingRules> = {}): CallingRules {
  return {
    priorityGroups: [
      { id: 'elderly', name: { zh: '老年人', en: 'Elderly' }, minAge: 65 },
      { id: 'military', name: { zh: '军人', en: 'Military' } },
    ],
    normalPerPriority: 2,
    maxRecalls: 2,
    missedRecallWindowMinutes: 30,
    minSecondsBetweenRecalls: 20,
    appointmentEarlyMinutes: 30,
    appointmentLateMinutes: 15,
    callCountdownSeconds: 10,
    ratingTimeoutSeconds: 15,
    waitEstimateSampleSize: 20,
    ...overrides,
  };
}

/** 09:00 hall time on 2026-03-02 (Asia/Shanghai is UTC+8). */
export const TEST_DAY_START_MS = Date.UTC(2026, 2, 2, 1, 0, 0);

/**
 * Runs commands one after the other at a moving clock, collecting every event, and fails
 * loudly on a rejection: for scenario tests where every step must succeed.
 */
export class TestHall {
  state: QueueState;
  events: QueueEvent[] = [];
  nowMs: number;
  readonly setup: QueueSetup;
  readonly rules: CallingRules;

  constructor(state: QueueState, options: { rules?: CallingRules; setup?: QueueSetup; nowMs?: number } = {}) {
    this.state = state;
    this.setup = options.setup ?? makeTestSetup();
    this.rules = options.rules ?? makeTestRules();
    this.nowMs = options.nowMs ?? TEST_DAY_START_MS;
  }

  get ctx(): QueueContext {
    return { now: this.nowMs, rules: this.rules, setup: this.setup };
  }

  advance(seconds: number): this {
    this.nowMs += seconds * 1000;
    return this;
  }

  /** Applies the command if accepted; returns the result either way. */
  try(command: QueueCommand) {
    const result = handleQueueCommand(this.state, command, this.ctx);
    if (result.ok) {
      this.state = result.state;
      this.events.push(...result.events);
    }
    return result;
  }

  do(command: QueueCommand): QueueEvent[] {
    const result = this.try(command);
    if (!result.ok) throw new Error(`${command.type} refused: ${result.rejection.code} ${result.rejection.message}`);
    return result.events;
  }
}
