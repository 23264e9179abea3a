import type {
  CallingRules,
  Counter,
  Department,
  FormSchema,
  Hall,
  Queue,
  Service,
  Staff,
} from '@hall/shared';

/** Demo staff carry a development password so a newcomer can log in; never in production. */
export type DemoStaff = Staff & { demoPassword: string };

/** Everything needed to seed one hall: the catalogue, its layout and its people. */
export interface DemoHall {
  hall: Hall;
  departments: Department[];
  queues: Queue[];
  counters: Counter[];
  staff: DemoStaff[];
  services: Service[];
  forms: FormSchema[];
  callingRules: CallingRules;
}
