import type { Material, Service } from '../domain/catalogue';

function material(id: string, name: string): Material {
  return { id, name, originals: 1, copies: 0, form: 'paper', required: true, reviewPoints: [] };
}

/**
 * A small 户籍证明-like service for tests: who the certificate is for, then its use.
 * Exported for tests of other packages too; it holds no personal data.
 */
export function makeTestService(overrides: Partial<Service> = {}): Service {
  return {
    id: 'svc-hjzm',
    code: '11440000MB2C91234X001',
    name: { zh: '户籍证明开具', en: 'Household registration certificate' },
    departmentId: 'dept-huzheng',
    theme: '户籍',
    guide: {
      conditions: ['本市户籍人员'],
      legalBasis: ['《中华人民共和国户口登记条例》'],
      statutoryDays: 0,
      promisedDays: 0,
      fees: { free: true, description: '不收费' },
      place: '综合窗口',
      processSteps: [],
      applicants: 'person',
      onlineAvailable: false,
    },
    materials: [
      material('m-id', '居民身份证'),
      material('m-hukou', '居民户口簿'),
      material('m-relation', '亲属关系证明'),
      material('m-auth', '委托书'),
      material('m-abroad', '出国(境)材料'),
    ],
    decisionTree: {
      rootQuestionId: 'q-for',
      questions: [
        {
          id: 'q-for',
          text: { zh: '为谁开具证明?' },
          kind: 'single',
          required: true,
          options: [
            { id: 'self', label: { zh: '本人' }, next: { type: 'question', questionId: 'q-use' }, addMaterialIds: [] },
            {
              id: 'relative',
              label: { zh: '亲属' },
              next: { type: 'question', questionId: 'q-extra' },
              addMaterialIds: ['m-relation', 'm-id'],
            },
          ],
        },
        {
          id: 'q-use',
          text: { zh: '证明用途?' },
          kind: 'single',
          required: true,
          options: [
            { id: 'abroad', label: { zh: '出国(境)' }, next: { type: 'situation', situationId: 's-abroad' }, addMaterialIds: [] },
            { id: 'other', label: { zh: '其他' }, addMaterialIds: [] },
          ],
          next: { type: 'situation', situationId: 's-self' },
        },
        {
          id: 'q-extra',
          text: { zh: '是否有以下情况?' },
          kind: 'multi',
          required: false,
          options: [
            { id: 'agent', label: { zh: '委托他人办理' }, addMaterialIds: ['m-auth'] },
            { id: 'abroad', label: { zh: '用于出国(境)' }, addMaterialIds: ['m-abroad'] },
          ],
          next: { type: 'situation', situationId: 's-relative' },
        },
      ],
      situations: [
        { id: 's-self', name: { zh: '本人开具' }, materialIds: ['m-id', 'm-hukou'] },
        { id: 's-abroad', name: { zh: '本人出国(境)用' }, materialIds: ['m-abroad', 'm-id'], formId: 'form-abroad' },
        { id: 's-relative', name: { zh: '为亲属开具' }, materialIds: ['m-hukou', 'm-id'] },
      ],
    },
    formId: 'form-hjzm',
    queueId: 'queue-a',
    keywords: ['hjzm', '开户口证明'],
    ...overrides,
  };
}
