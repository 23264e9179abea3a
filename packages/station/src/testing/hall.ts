import type { Catalogue, Service, Ticket } from '@hall/shared';

function service(id: string, queueId: string, name: string, dailyCap?: number): Service {
  return {
    id,
    code: `TEST-${id}`,
    name: { zh: name },
    departmentId: 'dept-1',
    theme: '户籍',
    guide: {
      conditions: ['本市户籍居民'],
      legalBasis: ['《户口登记条例》'],
      statutoryDays: 0,
      promisedDays: 0,
      fees: { free: true, description: '不收费' },
      place: '一楼大厅',
      processSteps: [],
      applicants: 'person',
      onlineAvailable: false,
    },
    materials: [
      { id: 'm1', name: '居民身份证', originals: 1, copies: 0, form: 'paper', required: true, reviewPoints: [] },
    ],
    queueId,
    keywords: [],
    ...(dailyCap === undefined ? {} : { dailyCap }),
  };
}

/** A small hall for tests: two queues, three services, three counters. */
export function testCatalogue(hallId = 'hall-1'): Catalogue {
  return {
    hall: {
      id: hallId,
      name: { zh: '测试大厅' },
      address: '测试路1号',
      timeZone: 'Asia/Shanghai',
      openingHours: { weekdays: [1, 2, 3, 4, 5, 6, 7], sessions: [{ from: '00:00', to: '23:59' }] },
    },
    queues: [
      { id: 'qA', hallId, prefix: 'A', name: { zh: '户政' }, serviceIds: ['s1', 's2'], kinds: ['walk_in', 'consultation'], numberDigits: 3 },
      { id: 'qB', hallId, prefix: 'B', name: { zh: '出入境' }, serviceIds: ['s3'], kinds: ['walk_in'], numberDigits: 3 },
    ],
    services: [service('s1', 'qA', '户籍证明'), service('s2', 'qA', '迁入'), service('s3', 'qB', '港澳通行证')],
    forms: [],
    counters: ['c1', 'c2', 'c3'].map((id, i) => ({
      id,
      hallId,
      number: String(i + 1),
      name: { zh: `${i + 1}号窗口` },
      kind: 'general' as const,
      services: [
        { serviceId: 's1', priority: 1 },
        { serviceId: 's2', priority: 1 },
        { serviceId: 's3', priority: 2 },
      ],
      queueIds: ['qA', 'qB'],
    })),
    callingRules: {
      priorityGroups: [{ id: 'elderly', name: { zh: '老年人' }, minAge: 70 }],
      normalPerPriority: 2,
      maxRecalls: 3,
      missedRecallWindowMinutes: 30,
      minSecondsBetweenRecalls: 0,
      appointmentEarlyMinutes: 30,
      appointmentLateMinutes: 15,
      callCountdownSeconds: 0,
      ratingTimeoutSeconds: 15,
      waitEstimateSampleSize: 20,
    },
    version: 'test-1',
  };
}

/** Ticket t<n> (A00<n>) of the test hall's queue qA, waiting since a minute before `nowMs`, as the server's log carries it. */
export function waitingTicket(n: number, nowMs: number, day = '2026-03-02'): Ticket {
  return {
    id: `t${n}`,
    hallId: 'hall-1',
    queueId: 'qA',
    day,
    number: `A00${n}`,
    kind: 'walk_in',
    serviceIds: ['s1'],
    issuedAt: new Date(nowMs - 60_000 + n).toISOString(),
    queuedAt: new Date(nowMs - 60_000 + n).toISOString(),
    status: 'waiting',
    callCount: 0,
  };
}
