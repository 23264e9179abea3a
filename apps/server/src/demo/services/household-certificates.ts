import type { GuideSpec } from '../define';
import { defineService, single } from '../define';
import { DEPARTMENT, FORM, QUEUE } from '../ids';
import { householdBook, identityDocument, powerOfAttorney, writtenApplication } from '../materials';
import { HOUSEHOLD_PLACE } from './places';

const certificateBasis = [
  '《中华人民共和国户口登记条例》',
  '《公安部关于改进和规范公安派出所出具证明工作的意见》',
  '《广东省户口居民身份证管理工作操作规范》',
];

const certificateSteps = [
  '取号后到户政窗口提交申请',
  '窗口核验申请人身份和书面申请报告',
  '民警通过人口信息系统或户籍档案核实',
  '出具证明;需调档核实的,核实后出具',
  '现场领取,或选择邮寄、24小时文件柜领取',
];

/** Certificates are issued on the spot once the records confirm them, free of charge. */
const certificateGuide = (conditions: string[]): GuideSpec => ({
  conditions,
  legalBasis: certificateBasis,
  statutoryDays: 5,
  promisedDays: 0,
  fees: { free: true, description: '不收费' },
  place: HOUSEHOLD_PLACE,
  processSteps: certificateSteps,
  applicants: 'person',
  onlineAvailable: true,
});

/** 户籍证明: the seed groups four certificates under it; the first question picks one. */
export const householdCertificate = defineService({
  id: 'household-certificate',
  code: 'SW-GA-HZ-001',
  name: { zh: '户籍证明', en: 'Household registration certificate' },
  departmentId: DEPARTMENT.household,
  theme: '户籍证明',
  queueId: QUEUE.household,
  formId: FORM.certificate,
  keywords: ['hjzm', '户口证明', '开户口证明', '户籍证明信', '户口注销证明', '身份号码变更证明', '项目变更证明'],
  guide: certificateGuide([
    '本市户籍居民因办理相关事务需要证明其户籍信息',
    '所需证明的事项能够通过公安机关人口信息系统或户籍档案核实',
    '本人或其近亲属申请;委托他人代办的,须提交委托书',
  ]),
  materials: {
    identity: identityDocument,
    application: { ...writtenApplication, blankFormRef: FORM.certificate },
    attorney: powerOfAttorney,
    cancellationClue: {
      name: '能证明原户口登记情况的材料(如原户口簿、迁移证件等)',
      originals: 1,
      copies: 1,
      form: 'paper',
      required: false,
      reviewPoints: ['材料记载与户籍档案可相互印证'],
      note: '如有,可缩短调档核实时间',
    },
    oldIdNumberDocument: {
      name: '记载原公民身份号码的证件(原居民身份证、户口簿等)',
      originals: 1,
      copies: 1,
      form: 'paper',
      required: false,
      reviewPoints: ['原号码与变更记录一致'],
    },
  },
  tree: {
    root: 'applicant',
    questions: {
      applicant: single(
        { zh: '谁来办理?', en: 'Who is applying?' },
        {
          self: { label: { zh: '本人办理', en: 'Myself' } },
          agent: { label: { zh: '委托他人代办', en: 'An agent on my behalf' }, add: ['attorney'] },
        },
        { next: { question: 'kind' } },
      ),
      kind: single(
        { zh: '需要开具哪一种证明?', en: 'Which certificate do you need?' },
        {
          registration: { label: { zh: '户籍证明(证明户籍登记信息)' }, next: { situation: 'registration' } },
          cancellation: { label: { zh: '户口注销证明' }, next: { situation: 'cancellation' } },
          idNumberChange: { label: { zh: '公民身份号码变更更正证明' }, next: { situation: 'idNumberChange' } },
          itemChange: { label: { zh: '户口登记项目变更证明' }, next: { situation: 'itemChange' } },
        },
      ),
    },
    situations: {
      registration: { name: { zh: '开具户籍证明' }, keywords: ['户口证明', '单位要', '户籍信息'], materials: ['identity', 'application'] },
      cancellation: {
        name: { zh: '开具户口注销证明' }, keywords: ['注销证明', '户口注销了'],
        materials: ['identity', 'application', 'cancellationClue'],
        note: '户口已注销人员的近亲属可凭关系证明申请',
      },
      idNumberChange: {
        name: { zh: '开具公民身份号码变更更正证明' }, keywords: ['身份证号码改了', '号码变更', '号码改过', '号码更正'],
        materials: ['identity', 'application', 'oldIdNumberDocument'],
      },
      itemChange: { name: { zh: '开具户口登记项目变更证明' }, keywords: ['名字改了开证明', '项目变更', '曾用名证明'], materials: ['identity', 'application'] },
    },
  },
});

export const kinshipCertificate = defineService({
  id: 'kinship-certificate',
  code: 'SW-GA-HZ-002',
  name: { zh: '亲属关系证明', en: 'Kinship certificate' },
  departmentId: DEPARTMENT.household,
  theme: '户籍证明',
  queueId: QUEUE.household,
  formId: FORM.kinship,
  keywords: ['qsgxzm', '亲属证明', '关系证明', '父母子女关系证明', '直系亲属证明'],
  guide: certificateGuide([
    '申请人与被证明人的亲属关系能够通过公安机关户籍档案或人口信息系统核实',
    '被证明人为本市户籍或曾在本市登记户口',
    '不能通过户籍档案核实的亲属关系,公安机关不予出具,申请人可通过公证等途径证明',
  ]),
  materials: {
    identity: identityDocument,
    application: { ...writtenApplication, blankFormRef: FORM.kinship },
    householdBook: { ...householdBook, required: false, note: '如有,同户成员关系可直接核实' },
    relativeIdentity: {
      name: '被证明亲属的居民身份证或户口簿(复印件)',
      originals: 0,
      copies: 1,
      form: 'paper',
      required: false,
      reviewPoints: ['被证明人姓名、公民身份号码与申请一致'],
    },
    attorney: powerOfAttorney,
  },
});
