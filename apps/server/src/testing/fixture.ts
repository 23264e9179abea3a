import { createHash } from 'node:crypto';
import type { CitizenRef, Service } from '@hall/shared';
import type { DemoHall } from '../demo/types';

export const FIXTURE_PASSWORD = 'correct-horse-7';

/** A citizen reference as stations send it: masked name and a hash, never an ID number. */
export function fakeCitizen(seed: string): CitizenRef {
  return { maskedName: '李*明', idHash: createHash('sha256').update(`citizen:${seed}`).digest('hex') };
}

/** A complete service of hall `tag`, with a two-level decision tree. */
export function fixtureService(tag: string, n: number, overrides: Partial<Service> = {}): Service {
  return {
    id: `${tag}-svc-${n}`,
    code: `${tag.toUpperCase()}-11440100-${n}`,
    name: { zh: `户籍证明${n}`, en: `Household certificate ${n}` },
    departmentId: `${tag}-dept`,
    theme: n % 2 === 0 ? '户籍' : '出入境',
    guide: {
      conditions: ['本市户籍居民'],
      legalBasis: ['《中华人民共和国户口登记条例》'],
      statutoryDays: 20,
      promisedDays: 5,
      fees: { free: true, description: '不收费' },
      place: '一楼A区',
      processSteps: ['取号', '受理', '出证'],
      applicants: 'person',
      onlineAvailable: false,
    },
    materials: [
      { id: 'm-id', name: '居民身份证', originals: 1, copies: 1, form: 'paper', required: true, reviewPoints: ['证件在有效期内'] },
      { id: 'm-hukou', name: '居民户口簿', originals: 1, copies: 0, form: 'paper', required: true, reviewPoints: [] },
      { id: 'm-proxy', name: '授权委托书', originals: 1, copies: 0, form: 'paper', required: false, reviewPoints: [] },
    ],
    decisionTree: {
      rootQuestionId: 'q-who',
      questions: [
        {
          id: 'q-who',
          text: { zh: '谁来办理？' },
          kind: 'single',
          required: true,
          options: [
            { id: 'self', label: { zh: '本人' }, next: { type: 'situation', situationId: 's-self' }, addMaterialIds: [] },
            { id: 'proxy', label: { zh: '代办' }, next: { type: 'question', questionId: 'q-relation' }, addMaterialIds: ['m-proxy'] },
          ],
        },
        {
          id: 'q-relation',
          text: { zh: '代办人与申请人的关系？' },
          kind: 'single',
          required: true,
          options: [
            { id: 'family', label: { zh: '直系亲属' }, next: { type: 'situation', situationId: 's-family' }, addMaterialIds: [] },
            { id: 'other', label: { zh: '其他' }, next: { type: 'situation', situationId: 's-other' }, addMaterialIds: [] },
          ],
        },
      ],
      situations: [
        { id: 's-self', name: { zh: '本人办理' }, materialIds: ['m-id', 'm-hukou'], formId: `${tag}-form` },
        { id: 's-family', name: { zh: '亲属代办' }, materialIds: ['m-id', 'm-hukou', 'm-proxy'] },
        { id: 's-other', name: { zh: '他人代办' }, materialIds: ['m-id', 'm-hukou', 'm-proxy'] },
      ],
    },
    formId: `${tag}-form`,
    queueId: `${tag}-qa`,
    keywords: ['hjzm', '开户口证明'],
    ...overrides,
  };
}

/**
 * A small but complete hall for tests, ids prefixed by `tag` so several can coexist.
 * `withCityAdmin` adds the one city-level account (logins are unique city-wide).
 */
export function fixtureHall(tag: string, options: { withCityAdmin?: boolean } = {}): DemoHall {
  const hallId = `${tag}-hall`;
  const services = [fixtureService(tag, 1), fixtureService(tag, 2, { decisionTree: undefined, queueId: `${tag}-qb` })];
  return {
    hall: {
      id: hallId,
      name: { zh: `测试大厅${tag}`, en: `Test hall ${tag}` },
      address: '广州市天河区测试路1号',
      timeZone: 'Asia/Shanghai',
      openingHours: { weekdays: [1, 2, 3, 4, 5], sessions: [{ from: '09:00', to: '12:00' }, { from: '13:30', to: '17:30' }] },
    },
    departments: [{ id: `${tag}-dept`, hallId, name: { zh: '户政', en: 'Household registration' } }],
    queues: [
      { id: `${tag}-qa`, hallId, prefix: 'A', name: { zh: '户籍业务' }, serviceIds: [services[0]!.id], kinds: ['walk_in', 'appointment'], numberDigits: 3 },
      { id: `${tag}-qb`, hallId, prefix: 'B', name: { zh: '出入境业务' }, serviceIds: [services[1]!.id], kinds: ['walk_in'], numberDigits: 3 },
    ],
    counters: [
      {
        id: `${tag}-c1`,
        hallId,
        departmentId: `${tag}-dept`,
        number: '1',
        name: { zh: '1号窗口' },
        kind: 'service',
        services: [{ serviceId: services[0]!.id, priority: 1 }],
        queueIds: [`${tag}-qa`],
      },
      {
        id: `${tag}-c2`,
        hallId,
        number: '2',
        name: { zh: '2号窗口' },
        kind: 'general',
        services: [
          { serviceId: services[1]!.id, priority: 1 },
          { serviceId: services[0]!.id, priority: 2 },
        ],
        queueIds: [`${tag}-qa`, `${tag}-qb`],
      },
    ],
    staff: [
      { id: `${tag}-mgr`, hallId, login: `${tag}-manager`, displayName: '王*', staffNumber: `${tag}001`, roles: ['hall_manager'], demoPassword: FIXTURE_PASSWORD },
      { id: `${tag}-clerk`, hallId, login: `${tag}-clerk`, displayName: '赵*', staffNumber: `${tag}002`, departmentId: `${tag}-dept`, roles: ['clerk'], demoPassword: FIXTURE_PASSWORD },
      ...(options.withCityAdmin
        ? [{ id: 'city-admin', hallId: null, login: 'city-admin', displayName: '陈*', staffNumber: 'C001', roles: ['city_admin' as const], demoPassword: FIXTURE_PASSWORD }]
        : []),
    ],
    services,
    forms: [
      {
        id: `${tag}-form`,
        version: 1,
        title: { zh: '户籍证明申请表' },
        sections: [
          {
            id: 'applicant',
            title: { zh: '申请人' },
            fields: [
              { id: 'name', label: { zh: '姓名' }, kind: 'text', required: true, autofill: ['idcard.name'], personal: true },
              { id: 'idNumber', label: { zh: '身份证号' }, kind: 'id_number', required: true, autofill: ['idcard.idNumber'], personal: true },
              { id: 'phone', label: { zh: '联系电话' }, kind: 'phone', required: false, autofill: ['residenceCode.phone'], personal: true },
            ],
          },
        ],
      },
    ],
    callingRules: {
      priorityGroups: [{ id: 'elderly', name: { zh: '老年人' }, minAge: 70 }],
      normalPerPriority: 2,
      maxRecalls: 3,
      missedRecallWindowMinutes: 30,
      minSecondsBetweenRecalls: 20,
      appointmentEarlyMinutes: 30,
      appointmentLateMinutes: 15,
      callCountdownSeconds: 30,
      ratingTimeoutSeconds: 20,
      waitEstimateSampleSize: 50,
    },
  };
}
