import { demoForms } from './forms';
import { demoCounters, demoDepartments, demoHallInfo, demoQueues } from './hall';
import { demoCallingRules } from './rules';
import { demoServices } from './services/index';
import { demoStaff } from './staff';
import type { DemoHall } from './types';

export type { DemoHall, DemoStaff } from './types';

/** The demo hall: a Shanwei-style police service hall with household, exit-entry and vehicle matters. */
export const demoHall: DemoHall = {
  hall: demoHallInfo,
  departments: demoDepartments,
  queues: demoQueues,
  counters: demoCounters,
  staff: demoStaff,
  services: demoServices,
  forms: demoForms,
  callingRules: demoCallingRules,
};
