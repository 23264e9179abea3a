import { defineService, single } from '../define';
import { DEPARTMENT, FORM, QUEUE } from '../ids';
import { householdBook, identityDocument, marriageCertificate, powerOfAttorney, proof, residentIdCard } from '../materials';
import { HOUSEHOLD_PLACE } from './places';

const recordsBasis = ['《中华人民共和国户口登记条例》', '《广东省户口居民身份证管理工作操作规范》'];

export const birthRegistration = defineService({
  id: 'birth-registration',
  code: 'SW-GA-HZ-010',
  name: { zh: '出生登记', en: 'Birth registration' },
  departmentId: DEPARTMENT.household,
  theme: '出生落户',
  queueId: QUEUE.household,
  formId: FORM.birth,
  keywords: ['csdj', '新生儿落户', '小孩上户口', '宝宝入户', '报户口', '出生入户'],
  guide: {
    conditions: [
      '婴儿出生后一个月内,由户主、亲属、抚养人或者邻居向婴儿常住地户口登记机关申报出生登记',
      '随父或随母落户,入户方为本市户籍',
      '超过一个月申报的,仍可办理,户籍民警将核实未及时申报原因',
    ],
    legalBasis: [
      ...recordsBasis,
      '《国务院办公厅关于解决无户口人员登记户口问题的意见》(国办发〔2015〕96号)',
    ],
    statutoryDays: 20,
    promisedDays: 5,
    fees: { free: true, description: '不收费' },
    place: HOUSEHOLD_PLACE,
    processSteps: [
      '取号后到户政窗口提交材料',
      '窗口核验出生医学证明及入户方户口簿',
      '国(境)内出生、材料齐全的当场办结;港澳台或国外出生的报审批',
      '打印户口簿、常住人口登记表',
    ],
    applicants: 'person',
    onlineAvailable: true,
  },
  materials: {
    householdBook: { ...householdBook, name: '入户方的居民户口簿', copies: 0 },
    parentIds: proof('父母双方的居民身份证', ['与出生医学证明记载的父母信息一致'], { form: 'paper_or_electronic' }),
    birthCertificate: proof('《出生医学证明》', ['证件真实有效,可通过卫健部门系统核验', '婴儿姓名与申报一致']),
    marriage: { ...marriageCertificate, name: '父母一方的结婚证' },
    paternity: proof('具有资质的鉴定机构出具的亲子鉴定证明', ['鉴定机构具有司法鉴定资质']),
    hkBirthProof: proof('港澳台地区出生证明', ['出生证明记载的父母信息与身份证件一致']),
    entryDocument: proof('入户子女入境所持证件', ['入境记录可查']),
    foreignBirthProof: proof('国外出生证明原件', ['原件,附复印件一份']),
    translation: proof('具有资质的机构出具的出生证明中文翻译件', ['翻译机构盖章'], { originals: 1, copies: 0 }),
    legalisation: proof('我国驻外使领馆认证件,或我国缔结的条约认可的其他证明,或公证机构出具的公证书', [
      '认证或公证对象为该出生证明',
    ]),
    chineseTravelDocument: proof('入境时所持的中国护照或旅行证', ['入境记录可查', '未取得外国国籍']),
  },
  tree: {
    root: 'place',
    questions: {
      place: single(
        { zh: '孩子在哪里出生?', en: 'Where was the child born?' },
        {
          domestic: { label: { zh: '国(境)内', en: 'Mainland China' }, next: { question: 'marriage' } },
          hkmt: { label: { zh: '港澳台地区', en: 'Hong Kong, Macao or Taiwan' }, next: { situation: 'hkmt' } },
          abroad: { label: { zh: '国外', en: 'Abroad' }, next: { situation: 'abroad' } },
        },
      ),
      marriage: single(
        { zh: '孩子的父母是否登记结婚?', en: 'Are the parents married?' },
        {
          married: { label: { zh: '婚内生育', en: 'Married' }, next: { situation: 'married' } },
          unmarried: { label: { zh: '非婚生育', en: 'Not married' }, next: { question: 'settleWith' } },
        },
      ),
      settleWith: single(
        { zh: '孩子随哪一方落户?', en: 'With which parent will the child be registered?' },
        {
          mother: { label: { zh: '随母亲落户', en: 'Mother' }, next: { situation: 'unmarriedMother' } },
          father: { label: { zh: '随父亲落户', en: 'Father' }, next: { situation: 'unmarriedFather' } },
        },
      ),
    },
    situations: {
      married: {
        name: { zh: '国(境)内出生,婚内生育' }, keywords: ['孩子出生', '宝宝出生', '新生儿', '出生医学证明', '结婚生的孩子'],
        materials: ['householdBook', 'parentIds', 'birthCertificate', 'marriage'],
        formId: FORM.birth,
        note: '材料齐全的当场办结',
      },
      unmarriedMother: {
        name: { zh: '国(境)内出生,非婚生育随母落户' }, keywords: ['没结婚生孩子', '未婚生子', '非婚生', '跟妈妈落户', '随母亲'],
        materials: ['householdBook', 'parentIds', 'birthCertificate'],
        formId: FORM.birth,
      },
      unmarriedFather: {
        name: { zh: '国(境)内出生,非婚生育随父落户' }, keywords: ['没结婚生孩子', '未婚生子', '非婚生', '跟爸爸落户', '随父亲'],
        materials: ['householdBook', 'parentIds', 'birthCertificate', 'paternity'],
        formId: FORM.birth,
      },
      hkmt: {
        name: { zh: '港澳台地区出生登记' }, keywords: ['香港出生', '澳门出生', '台湾出生'],
        materials: ['householdBook', 'parentIds', 'hkBirthProof', 'entryDocument'],
        formId: FORM.birth,
      },
      abroad: {
        name: { zh: '国外出生登记' }, keywords: ['国外出生', '外国出生', '出生在国外'],
        materials: ['householdBook', 'parentIds', 'foreignBirthProof', 'translation', 'legalisation', 'chineseTravelDocument'],
        formId: FORM.birth,
      },
    },
  },
});

export const deathDeregistration = defineService({
  id: 'death-deregistration',
  code: 'SW-GA-HZ-011',
  name: { zh: '死亡注销户口', en: 'Deregistration after death' },
  departmentId: DEPARTMENT.household,
  theme: '户口注销',
  queueId: QUEUE.household,
  keywords: ['swzx', 'swzxhk', '销户', '注销户口', '去世销户', '死亡证明注销'],
  guide: {
    conditions: [
      '本市户籍公民死亡或被人民法院宣告死亡',
      '城市在葬前、农村在一个月以内,由户主、亲属、抚养人或者邻居申报死亡登记',
    ],
    legalBasis: [...recordsBasis, '《中华人民共和国居民身份证法》'],
    statutoryDays: 5,
    promisedDays: 0,
    fees: { free: true, description: '不收费' },
    place: HOUSEHOLD_PLACE,
    processSteps: ['取号后到户政窗口申报', '窗口核验死亡证明文件', '注销户口并收回居民身份证', '需要时同时开具户口注销证明'],
    applicants: 'person',
  },
  materials: {
    declarant: identityDocument,
    householdBook: { ...householdBook, name: '死者的居民户口簿', copies: 0 },
    idCard: {
      ...residentIdCard,
      name: '死者的居民身份证(交回注销)',
      copies: 0,
      required: false,
      note: '如已遗失,在申报时说明',
    },
    medicalCertificate: proof('《居民死亡医学证明(推断)书》', ['死者姓名、公民身份号码与户籍信息一致']),
    policeCertificate: proof('公安机关出具的死亡证明', ['出具机关盖章']),
    courtJudgement: proof('人民法院宣告死亡的判决书', ['判决已生效']),
    attorney: powerOfAttorney,
  },
  tree: {
    root: 'declarant',
    questions: {
      declarant: single(
        { zh: '申报人与死者的关系?' },
        {
          family: { label: { zh: '户主、亲属或抚养人' } },
          agent: { label: { zh: '受委托的其他人' }, add: ['attorney'] },
        },
        { next: { question: 'cause' } },
      ),
      cause: single(
        { zh: '凭什么证明文件注销?' },
        {
          medical: { label: { zh: '《居民死亡医学证明(推断)书》(医院或家中正常死亡)' }, next: { situation: 'medical' } },
          unnatural: { label: { zh: '公安机关出具的死亡证明(非正常死亡)' }, next: { situation: 'unnatural' } },
          declared: { label: { zh: '人民法院宣告死亡' }, next: { situation: 'declared' } },
        },
      ),
    },
    situations: {
      medical: { name: { zh: '凭《居民死亡医学证明(推断)书》注销户口' }, keywords: ['去世', '过世', '病逝', '老人', '死亡证明'], materials: ['declarant', 'householdBook', 'idCard', 'medicalCertificate'] },
      unnatural: { name: { zh: '凭公安机关死亡证明注销户口' }, keywords: ['意外', '事故', '非正常死亡'], materials: ['declarant', 'householdBook', 'idCard', 'policeCertificate'] },
      declared: { name: { zh: '凭法院宣告死亡书注销户口' }, keywords: ['法院', '宣告死亡', '失踪'], materials: ['declarant', 'householdBook', 'idCard', 'courtJudgement'] },
    },
  },
});

export const nameChange = defineService({
  id: 'name-change',
  code: 'SW-GA-HZ-012',
  name: { zh: '姓名变更', en: 'Change of name' },
  departmentId: DEPARTMENT.household,
  theme: '户口登记项目变更',
  queueId: QUEUE.household,
  formId: FORM.nameChange,
  keywords: ['xmbg', 'gm', '改名', '改名字', '改姓', '姓名变更更正'],
  guide: {
    conditions: [
      '十八周岁以上的公民由本人申请;未满十八周岁的由本人或者父母、收养人申请',
      '有正当理由:如姓名用字为生僻字、重名较多、随父母姓氏变化、被收养等',
      '姓名变更后,应当换领居民身份证并办理相关证件变更',
    ],
    legalBasis: [
      ...recordsBasis,
      '《中华人民共和国民法典》第一千零一十二条、第一千零一十六条',
    ],
    statutoryDays: 20,
    promisedDays: 10,
    fees: { free: true, description: '变更登记不收费;同时换领居民身份证的按规定收取工本费20元' },
    place: HOUSEHOLD_PLACE,
    processSteps: ['取号后到户政窗口提交《户口项目变更更正申请审批表》', '户籍民警调查核实', '审批', '变更户口登记并签发户口簿', '换领居民身份证'],
    applicants: 'person',
  },
  materials: {
    application: {
      name: '《户口项目变更更正申请审批表》',
      originals: 1,
      copies: 0,
      form: 'paper',
      required: true,
      blankFormRef: FORM.nameChange,
      reviewPoints: ['拟用姓名符合国家通用语言文字规范', '申请人签名'],
    },
    idAndBook: { ...residentIdCard, name: '申请人居民身份证、居民户口簿' },
    reason: proof('变更姓名理由相关的材料', ['理由正当,材料可核实']),
    parentsIds: proof('父母双方的居民身份证及同意变更的书面意见', ['父母双方签名;一方不能到场的提交其书面同意']),
    custody: proof('离婚协议书或人民法院判决书、调解书(能证明抚养权归属)', ['已生效', '抚养方与申请人一致']),
  },
  tree: {
    root: 'age',
    questions: {
      age: single(
        { zh: '申请人是否已满18周岁?' },
        {
          adult: { label: { zh: '已满18周岁,本人申请' }, next: { situation: 'adult' } },
          minor: { label: { zh: '未满18周岁' }, next: { question: 'parents' } },
        },
      ),
      parents: single(
        { zh: '父母的婚姻状况?' },
        {
          married: { label: { zh: '父母婚姻存续' }, next: { situation: 'minor' } },
          divorced: { label: { zh: '父母已离婚' }, next: { situation: 'minorDivorced' } },
        },
      ),
    },
    situations: {
      adult: { name: { zh: '成年人变更姓名' }, keywords: ['自己', '本人', '成年人'], materials: ['application', 'idAndBook', 'reason'], formId: FORM.nameChange },
      minor: { name: { zh: '未成年人变更姓名' }, keywords: ['孩子', '小孩', '儿子', '女儿'], materials: ['application', 'idAndBook', 'reason', 'parentsIds'], formId: FORM.nameChange },
      minorDivorced: {
        name: { zh: '父母离婚后未成年人变更姓名' }, keywords: ['离婚', '跟我姓', '随母姓', '改姓'],
        materials: ['application', 'idAndBook', 'reason', 'parentsIds', 'custody'],
        formId: FORM.nameChange,
      },
    },
  },
});
