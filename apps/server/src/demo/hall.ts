import type { Counter, CounterService, Department, Hall, Queue, Service } from '@hall/shared';
import { DEPARTMENT, HALL_ID, QUEUE } from './ids';
import { demoServices } from './services/index';

export const demoHallInfo: Hall = {
  id: HALL_ID,
  name: { zh: '汕尾市公安局政务服务中心', en: 'Shanwei Public Security Bureau Service Hall' },
  address: '广东省汕尾市城区汕尾大道市民服务中心一楼公安服务专区',
  timeZone: 'Asia/Shanghai',
  openingHours: {
    weekdays: [1, 2, 3, 4, 5],
    sessions: [
      { from: '08:30', to: '12:00' },
      { from: '14:30', to: '17:30' },
    ],
  },
};

export const demoDepartments: Department[] = [
  { id: DEPARTMENT.household, hallId: HALL_ID, name: { zh: '户政', en: 'Household registration' } },
  { id: DEPARTMENT.exitEntry, hallId: HALL_ID, name: { zh: '出入境', en: 'Exit and entry' } },
  { id: DEPARTMENT.vehicle, hallId: HALL_ID, name: { zh: '车驾管', en: 'Vehicles and drivers' } },
];

const ids = (services: Service[]): string[] => services.map((s) => s.id);
const inQueue = (queueId: string): Service[] => demoServices.filter((s) => s.queueId === queueId);

/** Matters whose result is made after the visit and collected later at the delivery counter. */
const collectedLater = demoServices.filter((s) => s.guide.promisedDays > 0);

function queue(id: string, prefix: string, name: Queue['name'], kinds: Queue['kinds'], services: Service[], consultationPrefix?: string): Queue {
  return { id, hallId: HALL_ID, prefix, ...(consultationPrefix ? { consultationPrefix } : {}), name, serviceIds: ids(services), kinds, numberDigits: 3 };
}

const serviceKinds: Queue['kinds'] = ['walk_in', 'appointment', 'consultation'];

export const demoQueues: Queue[] = [
  queue(QUEUE.household, 'A', { zh: '户政业务', en: 'Household registration' }, serviceKinds, inQueue(QUEUE.household), 'Z'),
  queue(QUEUE.exitEntry, 'B', { zh: '出入境业务', en: 'Exit and entry' }, serviceKinds, inQueue(QUEUE.exitEntry), 'Y'),
  // 咨询号 carry their own letter (Z, Y, X) so citizens, clerks and the display tell them apart.
  // Used-car dealers and fleets come with enterprise tickets (企业号).
  queue(QUEUE.vehicle, 'C', { zh: '车驾管业务', en: 'Vehicles and drivers' }, [...serviceKinds, 'enterprise'], inQueue(QUEUE.vehicle), 'X'),
  queue(QUEUE.pickup, 'L', { zh: '领证', en: 'Certificate pickup' }, ['pickup'], collectedLater),
];

/** Priority 1 for the matters a counter specialises in, `otherwise` for the rest it takes. */
function prioritised(services: Service[], first: Service[], otherwise: number): CounterService[] {
  const firstIds = new Set(ids(first));
  return services.map((s) => ({ serviceId: s.id, priority: firstIds.has(s.id) ? 1 : otherwise }));
}

const byDepartment = (departmentId: string): Service[] => demoServices.filter((s) => s.departmentId === departmentId);
const household = byDepartment(DEPARTMENT.household);
const byTheme = (...themes: string[]): Service[] => household.filter((s) => themes.includes(s.theme));

function counter(
  number: string,
  name: Counter['name'],
  kind: Counter['kind'],
  services: CounterService[],
  queueIds: string[],
  departmentId?: string,
): Counter {
  return {
    id: `counter.${number}`,
    hallId: HALL_ID,
    ...(departmentId ? { departmentId } : {}),
    number,
    name,
    kind,
    services,
    queueIds,
  };
}

export const demoCounters: Counter[] = [
  counter(
    '1',
    { zh: '综合窗口', en: 'General counter' },
    'general',
    // Quick on-the-spot certificates first, so short matters do not wait behind long ones.
    prioritised(demoServices, byTheme('户籍证明'), 10),
    [QUEUE.household, QUEUE.exitEntry, QUEUE.vehicle],
  ),
  counter(
    '2',
    { zh: '户政窗口(证件)', en: 'Household registration: ID cards' },
    'service',
    prioritised(household, byTheme('身份证', '居住证'), 5),
    [QUEUE.household],
    DEPARTMENT.household,
  ),
  counter(
    '3',
    { zh: '户政窗口(户口)', en: 'Household registration: records' },
    'service',
    prioritised(household, byTheme('户口迁移', '出生落户', '户口注销', '户口登记项目变更'), 5),
    [QUEUE.household],
    DEPARTMENT.household,
  ),
  counter(
    '4',
    { zh: '出入境窗口', en: 'Exit and entry' },
    'service',
    prioritised(byDepartment(DEPARTMENT.exitEntry), [], 1),
    [QUEUE.exitEntry],
    DEPARTMENT.exitEntry,
  ),
  counter(
    '5',
    { zh: '车驾管窗口', en: 'Vehicles and drivers' },
    'service',
    prioritised(byDepartment(DEPARTMENT.vehicle), [], 1),
    [QUEUE.vehicle],
    DEPARTMENT.vehicle,
  ),
  counter('6', { zh: '出件窗口', en: 'Delivery counter' }, 'delivery', prioritised(collectedLater, [], 1), [QUEUE.pickup]),
];
