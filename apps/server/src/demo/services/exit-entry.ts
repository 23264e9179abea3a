import type { MaterialSpec, QuestionSpec } from '../define';
import { defineService, single } from '../define';
import { DEPARTMENT, FORM, QUEUE } from '../ids';
import { guardianProof, onSitePhoto, proof, residentIdCard } from '../materials';
import { EXIT_ENTRY_PLACE } from './places';

const exitEntryLaw = '《中华人民共和国出境入境管理法》';

const commonConditions = [
  '中国内地居民,可在全国任一出入境管理机构申请,无需回户籍地',
  '登记备案的国家工作人员,须按管理权限审批同意',
  '未满16周岁的由监护人陪同申请',
];

const commonSteps = [
  '取号(可先预约)后到出入境窗口',
  '人证核验,现场免费采集证件相片和指纹',
  '核对并签名确认《中国公民出入境证件申请表》',
  '缴费并领取受理回执',
  '凭回执到出件窗口领取,或选择邮寄送达',
];

const commonMaterials = {
  idCard: { ...residentIdCard, copies: 0, reviewPoints: ['证件在有效期内', '人证一致'] },
  photo: { ...onSitePhoto, name: '出入境证件相片(窗口现场免费采集)' },
  form: {
    name: '《中国公民出入境证件申请表》(窗口打印或自助填写,本人签名)',
    originals: 1,
    copies: 0,
    form: 'paper',
    required: true,
    blankFormRef: FORM.exitEntry,
    reviewPoints: ['紧急联系人信息完整', '本人(未满16周岁的由监护人)签名'],
  },
  staffApproval: {
    name: '按管理权限审批后出具的同意出境(证件)意见',
    originals: 1,
    copies: 0,
    form: 'paper',
    required: true,
    reviewPoints: ['审批单位盖章', '在有效期内'],
  },
  guardian: guardianProof,
} satisfies Record<string, MaterialSpec>;

type CommonKey = keyof typeof commonMaterials;

/** The first two questions every exit-entry tree asks, leading on to the matter's own. */
function applicantQuestions<Q extends string>(
  next: Q,
): Record<'staff' | 'age', QuestionSpec<CommonKey, 'age' | Q, never>> {
  return {
    staff: single(
      { zh: '您是否为登记备案的国家工作人员?', en: 'Are you a registered state employee?' },
      {
        yes: { label: { zh: '是', en: 'Yes' }, add: ['staffApproval'] },
        no: { label: { zh: '否', en: 'No' } },
      },
      { next: { question: 'age' } },
    ),
    age: single(
      { zh: '申请人是否未满16周岁?', en: 'Is the applicant under 16?' },
      {
        adult: { label: { zh: '已满16周岁', en: '16 or older' } },
        minor: { label: { zh: '未满16周岁(监护人陪同)', en: 'Under 16, with a guardian' }, add: ['guardian'] },
      },
      { next: { question: next } },
    ),
  };
}

/** Both permits: a new document with its endorsement, or an endorsement on a valid one. */
const permitOrEndorsement: QuestionSpec<'currentPermit', 'endorsement', never> = {
  text: { zh: '您要办理哪一项?', en: 'What do you need?' },
  kind: 'single',
  required: true,
  options: {
    permit: { label: { zh: '申领、换发或补发通行证并签注', en: 'A permit and an endorsement' } },
    endorsement: { label: { zh: '仅办理签注(已有有效通行证)', en: 'Only an endorsement' }, add: ['currentPermit'] },
  },
  next: { question: 'endorsement' },
};

export const passport = defineService({
  id: 'passport',
  code: 'SW-GA-CRJ-001',
  name: { zh: '普通护照签发、换发、补发', en: 'Ordinary passport' },
  departmentId: DEPARTMENT.exitEntry,
  theme: '出入境',
  queueId: QUEUE.exitEntry,
  formId: FORM.exitEntry,
  dailyCap: 150,
  keywords: ['pthz', 'hz', '办护照', '护照申领', '护照换发', '护照补发', '护照丢了', '出国'],
  guide: {
    conditions: [
      ...commonConditions,
      '护照有效期不足六个月、签证页即将用完或护照损毁的,可申请换发;护照遗失或被盗的,可申请补发',
    ],
    legalBasis: ['《中华人民共和国护照法》', exitEntryLaw],
    statutoryDays: 15,
    promisedDays: 7,
    fees: { free: false, description: '普通护照每本120元' },
    place: EXIT_ENTRY_PLACE,
    processSteps: commonSteps,
    applicants: 'person',
    onlineAvailable: true,
  },
  materials: {
    ...commonMaterials,
    oldPassport: {
      name: '原普通护照',
      originals: 1,
      copies: 0,
      form: 'paper',
      required: true,
      reviewPoints: ['有效期不足六个月、签证页不足或损毁', '有效签证可保留原护照一并领回'],
    },
    lossStatement: {
      name: '护照遗失或被盗情况说明(现场填写)',
      originals: 1,
      copies: 0,
      form: 'paper',
      required: true,
      reviewPoints: ['写明遗失时间、地点、经过'],
    },
  },
  tree: {
    root: 'staff',
    questions: {
      ...applicantQuestions('kind'),
      kind: single(
        { zh: '您要办理哪一项?', en: 'What do you need?' },
        {
          first: { label: { zh: '首次申请', en: 'First passport' }, next: { situation: 'first' } },
          renew: { label: { zh: '换发(即将过期、签证页用完、损毁)', en: 'Renewal' }, next: { situation: 'renew' } },
          replace: { label: { zh: '补发(遗失或被盗)', en: 'Replacement' }, next: { situation: 'replace' } },
        },
      ),
    },
    situations: {
      first: { name: { zh: '首次申请普通护照' }, keywords: ['第一次', '首次', '没办过'], materials: ['idCard', 'photo', 'form'], formId: FORM.exitEntry },
      renew: { name: { zh: '换发普通护照' }, keywords: ['过期', '到期', '用完', '快过期'], materials: ['idCard', 'photo', 'form', 'oldPassport'], formId: FORM.exitEntry },
      replace: { name: { zh: '补发普通护照' }, keywords: ['丢了', '丢失', '被偷', '不见了'], materials: ['idCard', 'photo', 'form', 'lossStatement'], formId: FORM.exitEntry },
    },
  },
});

export const hongKongMacaoPermit = defineService({
  id: 'hk-macao-permit',
  code: 'SW-GA-CRJ-002',
  name: { zh: '往来港澳通行证及签注', en: 'Exit-entry permit for Hong Kong and Macao, with endorsements' },
  departmentId: DEPARTMENT.exitEntry,
  theme: '出入境',
  queueId: QUEUE.exitEntry,
  formId: FORM.exitEntry,
  keywords: ['wlgatxz', 'gatxz', 'gaqz', '港澳通行证', '港澳签注', '去香港', '去澳门', '港澳通行证续签'],
  guide: {
    conditions: [
      ...commonConditions,
      '持有效电子往来港澳通行证的,可单独申请签注,也可在自助签注机办理',
      '商务签注须所在企业已在出入境管理机构备案',
    ],
    legalBasis: [exitEntryLaw, '《中国公民因私事往来香港地区或者澳门地区的暂行管理办法》'],
    statutoryDays: 30,
    promisedDays: 7,
    fees: {
      free: false,
      description: '电子往来港澳通行证每证60元;一次有效签注每件15元,二次有效签注每件30元',
    },
    place: EXIT_ENTRY_PLACE,
    processSteps: commonSteps,
    applicants: 'person',
    onlineAvailable: true,
  },
  materials: {
    ...commonMaterials,
    currentPermit: proof('有效的电子往来港澳通行证', ['证件有效期满足签注有效期'], { copies: 0 }),
    relativeProof: {
      name: '港澳居民亲属的身份证明复印件及亲属关系证明',
      originals: 0,
      copies: 1,
      form: 'paper',
      required: true,
      reviewPoints: ['亲属关系在配偶、父母、子女、兄弟姐妹等范围内'],
    },
    businessProof: {
      name: '已备案企业出具的在职证明(或营业执照副本)',
      originals: 1,
      copies: 1,
      form: 'paper',
      required: true,
      reviewPoints: ['企业已在出入境管理机构备案', '申请人社保在该企业缴纳'],
    },
    otherProof: proof('赴港澳事由的相关证明(如录取通知书、邀请函)', ['事由与签注种类相符']),
  },
  tree: {
    root: 'staff',
    questions: {
      ...applicantQuestions('item'),
      item: permitOrEndorsement,
      endorsement: single(
        { zh: '需要哪一种签注?', en: 'Which endorsement?' },
        {
          tourism: { label: { zh: '团队旅游或个人旅游(L/G)' }, next: { situation: 'tourism' } },
          family: { label: { zh: '探亲(T)' }, next: { situation: 'family' } },
          business: { label: { zh: '商务(S)' }, next: { situation: 'business' } },
          other: { label: { zh: '其他(Q),如就学、就医' }, next: { situation: 'other' } },
        },
      ),
    },
    situations: {
      tourism: { name: { zh: '旅游签注' }, keywords: ['旅游', '玩', '自由行', '旅行团'], materials: ['idCard', 'photo', 'form'], formId: FORM.exitEntry },
      family: { name: { zh: '探亲签注' }, keywords: ['探亲', '看亲戚', '家人'], materials: ['idCard', 'photo', 'form', 'relativeProof'], formId: FORM.exitEntry },
      business: { name: { zh: '商务签注' }, keywords: ['商务', '出差', '做生意'], materials: ['idCard', 'photo', 'form', 'businessProof'], formId: FORM.exitEntry },
      other: { name: { zh: '其他签注' }, keywords: ['读书', '看病', '就医'], materials: ['idCard', 'photo', 'form', 'otherProof'], formId: FORM.exitEntry },
    },
  },
});

export const taiwanPermit = defineService({
  id: 'taiwan-permit',
  code: 'SW-GA-CRJ-003',
  name: { zh: '往来台湾通行证及签注', en: 'Exit-entry permit for Taiwan, with endorsements' },
  departmentId: DEPARTMENT.exitEntry,
  theme: '出入境',
  queueId: QUEUE.exitEntry,
  formId: FORM.exitEntry,
  keywords: ['wltwtxz', 'twtxz', '台湾通行证', '台胞证', '赴台', '去台湾'],
  guide: {
    conditions: [
      ...commonConditions,
      '赴台探亲、访友、商务、学习等,按签注种类提交相应证明',
    ],
    legalBasis: [exitEntryLaw, '《中国公民往来台湾地区管理办法》'],
    statutoryDays: 30,
    promisedDays: 7,
    fees: { free: false, description: '电子往来台湾通行证每证60元;一次有效签注每件15元' },
    place: EXIT_ENTRY_PLACE,
    processSteps: commonSteps,
    applicants: 'person',
  },
  materials: {
    ...commonMaterials,
    currentPermit: proof('有效的电子往来台湾通行证', ['证件有效期满足签注有效期'], { copies: 0 }),
    invitation: {
      name: '台湾地区亲友的邀请函及其身份证明复印件',
      originals: 1,
      copies: 1,
      form: 'paper',
      required: true,
      reviewPoints: ['邀请人身份证明清晰可辨'],
    },
    otherProof: proof('赴台事由的相关证明(如商务邀请、学校录取通知)', ['事由与签注种类相符']),
  },
  tree: {
    root: 'staff',
    questions: {
      ...applicantQuestions('item'),
      item: permitOrEndorsement,
      endorsement: single(
        { zh: '赴台事由?' },
        {
          group: { label: { zh: '团队旅游(L)' }, next: { situation: 'group' } },
          family: { label: { zh: '探亲、访友(T/F)' }, next: { situation: 'family' } },
          other: { label: { zh: '商务、学习等其他事由' }, next: { situation: 'other' } },
        },
      ),
    },
    situations: {
      group: { name: { zh: '团队旅游签注' }, keywords: ['旅游', '旅行团'], materials: ['idCard', 'photo', 'form'], formId: FORM.exitEntry },
      family: { name: { zh: '探亲访友签注' }, keywords: ['探亲', '访友'], materials: ['idCard', 'photo', 'form', 'invitation'], formId: FORM.exitEntry },
      other: { name: { zh: '其他事由签注' }, keywords: ['商务', '学习', '出差'], materials: ['idCard', 'photo', 'form', 'otherProof'], formId: FORM.exitEntry },
    },
  },
});
