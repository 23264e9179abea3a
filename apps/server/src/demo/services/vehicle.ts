import type { MaterialSpec } from '../define';
import { defineService, single } from '../define';
import { DEPARTMENT, FORM, QUEUE } from '../ids';
import { identityDocument, onSitePhoto, proof } from '../materials';
import { VEHICLE_PLACE } from './places';

const roadSafetyLaw = '《中华人民共和国道路交通安全法》';
const licenceRules = '《机动车驾驶证申领和使用规定》(公安部令第162号)';

const licence: MaterialSpec = {
  name: '机动车驾驶证',
  originals: 1,
  copies: 0,
  form: 'paper',
  required: true,
  reviewPoints: ['驾驶证未被注销、吊销', '记分周期内记分未满12分'],
};

const healthCertificate: MaterialSpec = {
  name: '县级或者部队团级以上医疗机构出具的有关身体条件的证明(可在体检机构电子上传)',
  originals: 1,
  copies: 0,
  form: 'paper_or_electronic',
  required: true,
  reviewPoints: ['六个月内出具', '身体条件符合准驾车型要求'],
};

const licenceForm: MaterialSpec = {
  name: '《机动车驾驶证申请表》(窗口打印,本人签名)',
  originals: 1,
  copies: 0,
  form: 'paper',
  required: true,
  blankFormRef: FORM.driverLicence,
  reviewPoints: ['申请事项勾选正确', '本人签名'],
};

const licenceFees = { free: false, description: '机动车驾驶证工本费每证10元' };

const licenceSteps = [
  '取号后到车驾管窗口',
  '核验身份证明及驾驶证状态(违法、事故处理完毕)',
  '现场采集相片,核对申请表',
  '缴费后当场制发新驾驶证',
];

export const driverLicenceRenewal = defineService({
  id: 'driver-licence-renewal',
  code: 'SW-GA-CJG-001',
  name: { zh: '机动车驾驶证换证', en: "Driver's licence renewal" },
  departmentId: DEPARTMENT.vehicle,
  theme: '驾驶证',
  queueId: QUEUE.vehicle,
  formId: FORM.driverLicence,
  keywords: ['jszhz', 'jsz', '驾照到期', '换驾照', '驾驶证期满换证', '驾驶证损毁'],
  guide: {
    conditions: [
      '驾驶证有效期满前九十日内申请换证',
      '驾驶人户籍迁出原登记地、身份证明名称或号码变更,或驾驶证损毁无法辨认的,可申请换证',
      '年满70周岁的小型汽车驾驶人,须通过记忆力、判断力、反应力能力测试',
    ],
    legalBasis: [roadSafetyLaw, '《中华人民共和国道路交通安全法实施条例》', licenceRules],
    statutoryDays: 1,
    promisedDays: 0,
    fees: licenceFees,
    place: VEHICLE_PLACE,
    processSteps: licenceSteps,
    applicants: 'person',
    onlineAvailable: true,
  },
  materials: {
    identity: identityDocument,
    licence,
    health: healthCertificate,
    photo: onSitePhoto,
    form: licenceForm,
    cognitiveTest: {
      name: '记忆力、判断力、反应力能力测试合格证明(窗口或自助终端现场测试)',
      originals: 1,
      copies: 0,
      form: 'electronic',
      required: true,
      reviewPoints: ['测试在本次申请前完成且合格'],
    },
    newIdentity: {
      name: '变更后的身份证明(户口迁移或身份证号码变更的)',
      originals: 1,
      copies: 1,
      form: 'paper',
      required: true,
      reviewPoints: ['变更前后身份信息可关联'],
    },
  },
  tree: {
    root: 'reason',
    questions: {
      reason: single(
        { zh: '换证的原因?', en: 'Why are you renewing?' },
        {
          expiry: { label: { zh: '有效期满', en: 'Licence expiring' }, next: { question: 'age' } },
          change: { label: { zh: '户籍迁出或身份证明变更', en: 'Identity details changed' }, next: { situation: 'change' } },
          damaged: { label: { zh: '驾驶证损毁无法辨认', en: 'Damaged licence' }, next: { situation: 'damaged' } },
        },
      ),
      age: single(
        { zh: '驾驶人是否年满70周岁?', en: 'Is the driver 70 or older?' },
        {
          under70: { label: { zh: '未满70周岁' }, next: { situation: 'expiry' } },
          over70: { label: { zh: '年满70周岁' }, next: { situation: 'expiry70' } },
        },
      ),
    },
    situations: {
      expiry: { name: { zh: '有效期满换证' }, keywords: ['到期', '过期', '期满'], materials: ['identity', 'licence', 'health', 'photo', 'form'] },
      expiry70: {
        name: { zh: '年满70周岁有效期满换证' }, keywords: ['70岁', '七十岁', '老人'],
        materials: ['identity', 'licence', 'health', 'photo', 'form', 'cognitiveTest'],
        note: '年满70周岁的,此后每年提交一次身体条件证明',
      },
      change: { name: { zh: '身份信息变更换证' }, keywords: ['户籍迁出', '身份证变了'], materials: ['identity', 'newIdentity', 'licence', 'photo', 'form'] },
      damaged: { name: { zh: '驾驶证损毁换证' }, keywords: ['坏了', '损坏', '看不清'], materials: ['identity', 'licence', 'photo', 'form'] },
    },
  },
});

export const driverLicenceReplacement = defineService({
  id: 'driver-licence-replacement',
  code: 'SW-GA-CJG-002',
  name: { zh: '机动车驾驶证补证', en: "Driver's licence replacement" },
  departmentId: DEPARTMENT.vehicle,
  theme: '驾驶证',
  queueId: QUEUE.vehicle,
  formId: FORM.driverLicence,
  keywords: ['jszbz', '驾照丢了', '驾驶证遗失', '补办驾照', '补驾驶证'],
  guide: {
    conditions: ['机动车驾驶证遗失,且驾驶证未被扣押、扣留、暂扣、吊销或注销'],
    legalBasis: [roadSafetyLaw, licenceRules],
    statutoryDays: 1,
    promisedDays: 0,
    fees: licenceFees,
    place: VEHICLE_PLACE,
    processSteps: licenceSteps,
    applicants: 'person',
    onlineAvailable: true,
  },
  materials: {
    identity: identityDocument,
    photo: onSitePhoto,
    form: licenceForm,
    health: {
      ...healthCertificate,
      required: false,
      note: '驾驶证在审验期或已超过体检期限的,须提交',
    },
  },
});

const ownership = (name: string, reviewPoints: string[]): MaterialSpec => proof(name, reviewPoints, { copies: 0 });

export const vehicleOwnershipTransfer = defineService({
  id: 'vehicle-ownership-transfer',
  code: 'SW-GA-CJG-003',
  name: { zh: '机动车转移登记', en: 'Vehicle ownership transfer' },
  departmentId: DEPARTMENT.vehicle,
  theme: '机动车',
  queueId: QUEUE.vehicle,
  dailyCap: 60,
  keywords: ['jdczydj', 'ghdj', '过户', '车辆过户', '二手车过户', '转移登记'],
  guide: {
    conditions: [
      '机动车所有权转移之日起三十日内,由现机动车所有人申请',
      '机动车涉及的道路交通安全违法行为和交通事故已处理完毕',
      '机动车未被人民法院、人民检察院、行政执法部门依法查封、扣押;已抵押的须经抵押权人书面同意',
      '车辆到场接受查验',
    ],
    legalBasis: [roadSafetyLaw, '《机动车登记规定》(公安部令第164号)'],
    statutoryDays: 1,
    promisedDays: 0,
    fees: {
      free: false,
      description: '核发机动车行驶证工本费每证10元;更换号牌的,汽车号牌每副100元(按省价格主管部门核定标准)',
    },
    place: VEHICLE_PLACE,
    processSteps: [
      '车辆到查验区查验,打印《机动车查验记录表》',
      '取号后到车驾管窗口提交材料',
      '核验违法、事故、查封抵押状态',
      '缴费,核发行驶证和号牌(需更换的)',
      '登记证书签注转移登记事项',
    ],
    applicants: 'both',
  },
  materials: {
    application: ownership('《机动车注册、转移、注销登记/转入申请表》', ['现机动车所有人签名或盖章']),
    owner: { ...identityDocument, name: '现机动车所有人的身份证明' },
    organisation: ownership('统一社会信用代码证书(营业执照)及经办人授权书', ['单位名称与申请一致', '加盖单位公章']),
    registrationCertificate: ownership('机动车登记证书', ['原所有人信息与系统一致']),
    drivingLicence: ownership('机动车行驶证', ['行驶证与车辆一致']),
    inspection: ownership('《机动车查验记录表》(车辆到场查验)', ['车辆识别代号、发动机号与登记一致', '查验民警签名']),
    invoice: ownership('二手车销售统一发票', ['发票真实,买方为现机动车所有人']),
    courtDocument: ownership('人民法院出具的调解书、裁定书或判决书,以及相应的协助执行通知书', ['文书已生效']),
    inheritance: ownership('继承、赠与的公证书或人民法院生效法律文书', ['权属清晰']),
    mortgageConsent: {
      ...ownership('抵押权人同意转让的书面意见', ['抵押权人签章']),
      required: false,
      note: '已抵押的机动车提交',
    },
    plates: ownership('原机动车号牌(需更换号牌的交回)', ['号牌与登记一致']),
  },
  tree: {
    root: 'owner',
    questions: {
      owner: single(
        { zh: '现机动车所有人是?', en: 'Who is the new owner?' },
        {
          person: { label: { zh: '个人', en: 'A person' } },
          organisation: { label: { zh: '单位', en: 'An organisation' }, add: ['organisation'] },
        },
        { next: { question: 'mortgage' } },
      ),
      mortgage: single(
        { zh: '车辆是否处于抵押状态?(不清楚可跳过)' },
        {
          yes: { label: { zh: '已抵押' }, add: ['mortgageConsent'] },
          no: { label: { zh: '未抵押' } },
        },
        { required: false, next: { question: 'way' } },
      ),
      way: single(
        { zh: '所有权通过什么方式转移?', en: 'How was ownership transferred?' },
        {
          trade: { label: { zh: '二手车交易' }, next: { question: 'plate' } },
          court: { label: { zh: '人民法院调解、裁定、判决' }, next: { situation: 'court' } },
          inheritance: { label: { zh: '继承、赠与' }, next: { situation: 'inheritance' } },
        },
      ),
      plate: single(
        { zh: '是否需要更换号牌?' },
        {
          keep: { label: { zh: '不更换,沿用原号牌' }, next: { situation: 'tradeKeepPlate' } },
          change: { label: { zh: '更换号牌(原车主保留号牌号码或迁出本市)' }, next: { situation: 'tradeNewPlate' } },
        },
      ),
    },
    situations: {
      tradeKeepPlate: {
        name: { zh: '二手车交易过户(沿用号牌)' }, keywords: ['二手车', '买车', '卖车'],
        materials: ['application', 'owner', 'registrationCertificate', 'drivingLicence', 'inspection', 'invoice'],
      },
      tradeNewPlate: {
        name: { zh: '二手车交易过户(更换号牌)' }, keywords: ['换车牌', '换号牌', '保留车牌', '新车牌'],
        materials: ['application', 'owner', 'registrationCertificate', 'drivingLicence', 'inspection', 'invoice', 'plates'],
      },
      court: {
        name: { zh: '法院文书转移登记' }, keywords: ['法院', '判决'],
        materials: ['application', 'owner', 'drivingLicence', 'inspection', 'courtDocument'],
        note: '无法收回登记证书、行驶证的,由公安机关公告作废',
      },
      inheritance: {
        name: { zh: '继承、赠与转移登记' }, keywords: ['继承', '赠与', '送车', '遗产'],
        materials: ['application', 'owner', 'registrationCertificate', 'drivingLicence', 'inspection', 'inheritance'],
      },
    },
  },
});
