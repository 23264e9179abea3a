import type { GuideSpec, MaterialSpec, QuestionSpec } from '../define';
import { defineService, single } from '../define';
import { DEPARTMENT, FORM, QUEUE } from '../ids';
import { guardianProof, householdBook, onSitePhoto } from '../materials';
import { HOUSEHOLD_PLACE } from './places';

const idCardBasis = [
  '《中华人民共和国居民身份证法》',
  '《公安部关于建立居民身份证异地受理挂失申报和丢失招领制度的意见》',
  '《广东省户口居民身份证管理工作操作规范》',
];

const idCardFees = {
  free: false,
  description: '居民身份证工本费20元;同时申请临时居民身份证的,另收工本费10元(国家发展改革委、财政部核定标准)',
};

const idCardSteps = [
  '取号后到户政窗口,人证核验',
  '现场免费采集相片和指纹',
  '核对并签名确认《居民身份证申领登记表》',
  '缴纳工本费,领取受理回执',
  '制证完成后凭回执到出件窗口领取,或选择邮寄、24小时文件柜领取',
];

/** The three ID card matters differ only in who may apply where; fees and time limits are national. */
const idCardGuide = (conditions: string[], firstSteps: string[] = []): GuideSpec => ({
  conditions,
  legalBasis: idCardBasis,
  statutoryDays: 60,
  promisedDays: 15,
  fees: idCardFees,
  place: HOUSEHOLD_PLACE,
  processSteps: [...firstSteps, ...idCardSteps],
  applicants: 'person',
});

const registrationForm: MaterialSpec = {
  name: '《居民身份证申领登记表》(窗口打印,本人核对后签名)',
  originals: 1,
  copies: 0,
  form: 'paper',
  required: true,
  blankFormRef: FORM.idCard,
  reviewPoints: ['登记项目与人口信息系统一致', '申请人(未满16周岁的由监护人)签名'],
};

const fingerprints: MaterialSpec = {
  name: '指纹信息(窗口现场采集)',
  originals: 1,
  copies: 0,
  form: 'electronic',
  required: true,
  reviewPoints: ['采集两枚指纹,质量达标;手指缺失的按规定注记'],
};

const temporaryId: MaterialSpec = {
  name: '临时居民身份证申请(另采集相片一张)',
  originals: 1,
  copies: 0,
  form: 'electronic',
  required: false,
  note: '仅户籍地可即时签发,有效期三个月',
};

/** The shared tail of the renewal and replacement trees: same question, its own situations. */
function ageQuestion<S extends string>(adult: S, minor: S): QuestionSpec<'guardian', never, S> {
  return {
    text: { zh: '申请人是否未满16周岁?', en: 'Is the applicant under 16?' },
    kind: 'single',
    required: true,
    options: {
      adult: { label: { zh: '已满16周岁', en: '16 or older' }, next: { situation: adult } },
      minor: { label: { zh: '未满16周岁(由监护人陪同)', en: 'Under 16, with a guardian' }, next: { situation: minor }, add: ['guardian'] },
    },
  };
}

const extrasQuestion: QuestionSpec<'temporary', never, never> = {
  text: { zh: '是否需要以下服务?(可多选,可跳过)', en: 'Do you also need any of these? (optional)' },
  kind: 'multi',
  required: false,
  options: {
    temporary: { label: { zh: '申请临时居民身份证', en: 'A temporary ID card' }, add: ['temporary'] },
    post: { label: { zh: '制证后邮寄送达', en: 'Delivery by post' } },
  },
};

/** Renewal and replacement both split here: 户籍地 may need the 户口簿, elsewhere is 异地受理. */
const residenceQuestion: QuestionSpec<never, 'ageLocal' | 'ageRemote', never> = {
  text: { zh: '您的户籍在哪里?', en: 'Where is your household registration?' },
  kind: 'single',
  required: true,
  options: {
    local: { label: { zh: '本市户籍', en: 'Registered in this city' }, next: { question: 'ageLocal' } },
    province: { label: { zh: '广东省内其他地市户籍', en: 'Elsewhere in Guangdong' }, next: { question: 'ageRemote' } },
    other: { label: { zh: '外省户籍', en: 'Another province' }, next: { question: 'ageRemote' } },
  },
};

export const idCardRenewal = defineService({
  id: 'id-card-renewal',
  code: 'SW-GA-HZ-005',
  name: { zh: '居民身份证换领', en: 'Resident ID card renewal' },
  departmentId: DEPARTMENT.household,
  theme: '身份证',
  queueId: QUEUE.household,
  formId: FORM.idCard,
  keywords: ['sfzhl', 'jmsfzhl', '身份证到期', '身份证过期', '换身份证', '身份证损坏', '异地换领'],
  guide: idCardGuide([
    '居民身份证有效期满(期满前三个月内可申请)、严重损坏不能辨认,或登记项目已变更更正',
    '有效期满换领、损坏换领可在户籍地或全国任一受理点申请(跨省异地受理)',
    '登记项目变更后换领的,须在户籍地办理',
  ]),
  materials: {
    oldCard: {
      name: '原居民身份证(办理时交回)',
      originals: 1,
      copies: 0,
      form: 'paper',
      required: true,
      reviewPoints: ['损坏的证件须能辨认持证人信息', '有效期满前三个月内方可换领'],
    },
    photo: onSitePhoto,
    fingerprints,
    form: registrationForm,
    householdBook: { ...householdBook, copies: 0, reviewPoints: ['变更后的登记项目已记载在户口簿上'] },
    guardian: guardianProof,
    temporary: temporaryId,
  },
  tree: {
    root: 'extras',
    questions: {
      extras: { ...extrasQuestion, next: { question: 'reason' } },
      reason: single(
        { zh: '因为什么原因换领?', en: 'Why are you renewing?' },
        {
          expired: { label: { zh: '有效期满或即将期满', en: 'Expired or expiring' }, next: { question: 'residence' } },
          damaged: { label: { zh: '证件损坏', en: 'Damaged card' }, next: { question: 'residence' } },
          changed: { label: { zh: '姓名、出生日期等登记项目已变更', en: 'Registered details changed' }, next: { situation: 'itemChange' } },
        },
      ),
      residence: residenceQuestion,
      ageLocal: ageQuestion('local', 'localMinor'),
      ageRemote: ageQuestion('remote', 'remoteMinor'),
    },
    situations: {
      local: { name: { zh: '户籍地换领' }, keywords: ['到期', '过期', '坏了', '损坏', '消磁', '刷不出来', '本地户口'], materials: ['oldCard', 'photo', 'fingerprints', 'form'] },
      localMinor: { name: { zh: '户籍地换领(未满16周岁)' }, keywords: ['小孩', '孩子', '未成年', '到期', '坏了'], materials: ['oldCard', 'photo', 'fingerprints', 'form', 'guardian'] },
      remote: {
        name: { zh: '异地换领' }, keywords: ['外地', '外地人', '外省', '不是本地户口', '异地'],
        materials: ['oldCard', 'photo', 'fingerprints', 'form'],
        note: '异地受理的证件由户籍地公安机关制证,领证时间以受理回执为准',
      },
      remoteMinor: { name: { zh: '异地换领(未满16周岁)' }, keywords: ['外地小孩', '外地孩子'], materials: ['oldCard', 'photo', 'fingerprints', 'form', 'guardian'] },
      itemChange: {
        name: { zh: '登记项目变更后换领(户籍地)' }, keywords: ['改了名字', '改名后换证', '出生日期改了', '信息变了'],
        materials: ['oldCard', 'photo', 'fingerprints', 'form', 'householdBook'],
        note: '须先办结户口登记项目变更更正',
      },
    },
  },
});

export const idCardReplacement = defineService({
  id: 'id-card-replacement',
  code: 'SW-GA-HZ-006',
  name: { zh: '居民身份证补领', en: 'Resident ID card replacement' },
  departmentId: DEPARTMENT.household,
  theme: '身份证',
  queueId: QUEUE.household,
  formId: FORM.idCard,
  keywords: ['sfzbl', 'jmsfzbl', '身份证丢了', '身份证丢失', '补办身份证', '身份证挂失'],
  guide: idCardGuide([
    '居民身份证丢失的,可在户籍地或全国任一受理点申请补领(跨省异地受理)',
    '补领时原证件同时作废;找回原证的应交回公安机关',
  ], ['丢失后可先通过粤居码或窗口挂失']),
  materials: {
    photo: onSitePhoto,
    fingerprints,
    form: registrationForm,
    householdBook: { ...householdBook, copies: 0, note: '户籍地补领时提交,用于核验身份' },
    guardian: guardianProof,
    temporary: temporaryId,
  },
  tree: {
    root: 'extras',
    questions: {
      extras: { ...extrasQuestion, next: { question: 'residence' } },
      residence: residenceQuestion,
      ageLocal: ageQuestion('local', 'localMinor'),
      ageRemote: ageQuestion('remote', 'remoteMinor'),
    },
    situations: {
      local: { name: { zh: '户籍地补领' }, keywords: ['丢了', '丢失', '不见了', '被偷', '本地户口'], materials: ['photo', 'fingerprints', 'form', 'householdBook'] },
      localMinor: { name: { zh: '户籍地补领(未满16周岁)' }, keywords: ['小孩', '孩子', '未成年', '丢了', '不见了'], materials: ['photo', 'fingerprints', 'form', 'householdBook', 'guardian'] },
      remote: { name: { zh: '异地补领' }, keywords: ['外地', '外省', '外地人', '异地'], materials: ['photo', 'fingerprints', 'form'] },
      remoteMinor: { name: { zh: '异地补领(未满16周岁)' }, keywords: ['外地小孩', '外地孩子'], materials: ['photo', 'fingerprints', 'form', 'guardian'] },
    },
  },
});

export const idCardFirstApplication = defineService({
  id: 'id-card-first',
  code: 'SW-GA-HZ-004',
  name: { zh: '居民身份证首次申领', en: 'Resident ID card, first application' },
  departmentId: DEPARTMENT.household,
  theme: '身份证',
  queueId: QUEUE.household,
  formId: FORM.idCard,
  keywords: ['sfzsl', 'jmsfzsl', '第一次办身份证', '办身份证', '小孩办身份证'],
  guide: idCardGuide([
    '本市户籍公民年满16周岁应当申领居民身份证;未满16周岁的可以申领',
    '首次申领须在户籍所在地办理',
  ]),
  materials: {
    householdBook: { ...householdBook, copies: 0 },
    photo: onSitePhoto,
    fingerprints,
    form: registrationForm,
    guardian: guardianProof,
  },
  tree: {
    root: 'age',
    questions: {
      age: single(
        { zh: '申请人是否未满16周岁?', en: 'Is the applicant under 16?' },
        {
          adult: { label: { zh: '已满16周岁' }, next: { situation: 'adult' } },
          minor: { label: { zh: '未满16周岁(由监护人陪同)' }, next: { situation: 'minor' } },
        },
      ),
    },
    situations: {
      adult: { name: { zh: '年满16周岁首次申领' }, keywords: ['满十六岁', '满16岁', '成年', '第一次'], materials: ['householdBook', 'photo', 'fingerprints', 'form'] },
      minor: { name: { zh: '未满16周岁首次申领' }, keywords: ['小孩', '孩子', '儿童', '学生', '第一次'], materials: ['householdBook', 'photo', 'fingerprints', 'form', 'guardian'] },
    },
  },
});
