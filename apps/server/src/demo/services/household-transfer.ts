import type { MaterialSpec } from '../define';
import { defineService, single } from '../define';
import { DEPARTMENT, FORM, QUEUE } from '../ids';
import { marriageCertificate, proof, residentIdCard } from '../materials';
import { HOUSEHOLD_PLACE } from './places';

const transferBasis = [
  '《中华人民共和国户口登记条例》',
  '《国务院关于进一步推进户籍制度改革的意见》(国发〔2014〕25号)',
  '《广东省人民政府关于进一步推进户籍制度改革的实施意见》',
  '《广东省户口居民身份证管理工作操作规范》',
];

const idAndBook = (who: string): MaterialSpec => ({
  ...residentIdCard,
  name: `${who}的居民身份证(年满16周岁须提供)、居民户口簿`,
  reviewPoints: ['年满16周岁的须提供有效居民身份证', '户口簿与人口信息系统一致'],
});

/** 市外迁入: the seed's eleven 迁入 situations behind one guided matter. */
export const householdTransferIn = defineService({
  id: 'household-transfer-in',
  code: 'SW-GA-HZ-007',
  name: { zh: '户口迁入(市外迁入)', en: 'Household registration transfer into the city' },
  departmentId: DEPARTMENT.household,
  theme: '户口迁移',
  queueId: QUEUE.household,
  formId: FORM.transferIn,
  dailyCap: 40,
  keywords: ['hkqr', 'hkqy', '户口迁移', '迁户口', '落户', '入户', '投靠', '随迁', '准予迁入证明', '跨省迁移'],
  guide: {
    conditions: [
      '符合本市户口迁入政策规定的投靠亲属、就业、就学、购房、人才引进、随军、收养等情形之一',
      '申请人及随迁人员户口登记信息准确,无重复户口',
      '跨省迁入已纳入“跨省通办”的,可在迁入地一站式办理,无需回迁出地开具《户口迁移证》',
    ],
    legalBasis: transferBasis,
    statutoryDays: 20,
    promisedDays: 10,
    fees: { free: true, description: '不收费' },
    place: HOUSEHOLD_PLACE,
    processSteps: [
      '取号后到户政窗口提交《入户申请审批表》及材料',
      '窗口形式审查,材料齐全的出具受理回执',
      '户籍民警审核,所长审批',
      '签发《准予迁入证明》或直接办理迁入登记',
      '到出件窗口领取证件,或选择邮寄送达',
    ],
    applicants: 'person',
    onlineAvailable: true,
  },
  materials: {
    application: {
      name: '按要求填写的《入户申请审批表》',
      originals: 1,
      copies: 0,
      form: 'paper',
      required: true,
      blankFormRef: FORM.transferIn,
      reviewPoints: ['申请人签名', '迁入地址与被投靠人户口簿地址一致'],
    },
    applicant: idAndBook('申请人(投靠人)'),
    sponsor: idAndBook('被投靠人'),
    kinship: proof('投靠人与被投靠人的亲属关系证明(出生医学证明、结婚证或能证明关系的户籍档案)', [
      '关系能由证件或户籍档案相互印证',
    ]),
    marriage: marriageCertificate,
    birthCertificate: proof('未成年子女的《出生医学证明》', ['父母姓名与申请人一致']),
    employment: proof('相关部门出具的录用、调动或接收证明', ['加盖用人单位或主管部门公章', '在有效期内']),
    admission: proof('录取通知书', ['录取院校为本市院校', '新生报到期内申请']),
    graduation: proof('毕业证书及就业单位接收证明', ['毕业证书经学信网可查']),
    schoolLeave: proof('学校出具的转学、退学证明', ['加盖学校公章']),
    migrationPermit: {
      name: '《户口迁移证》',
      originals: 1,
      copies: 0,
      form: 'paper',
      required: false,
      reviewPoints: ['在有效期内', '迁移证记载与身份证件一致'],
      note: '已在迁出地办理迁出的提交;“跨省通办”的无需提交',
    },
    property: proof('本市房屋不动产权证书(或商品房买卖合同备案证明)', [
      '权利人为申请人本人或其配偶',
      '房屋用途为住宅',
    ]),
    talent: proof('相关人才认证材料(学历学位证书、专业技术资格证书或人才认定证明)', [
      '学历证书可在学信网核验',
      '符合本市人才引进目录',
    ]),
    militaryApproval: proof('军人所在部队出具的家属随军批准文件', ['团级以上单位政治机关出具并加盖公章']),
    adoption: proof('《收养登记证》及被收养人的居民户口簿', ['收养登记由民政部门办理']),
    companionIds: {
      ...idAndBook('随迁人员'),
      required: false,
    },
    companionMarriage: { ...marriageCertificate, name: '随迁配偶的结婚证', required: false },
    companionBirth: {
      ...proof('随迁未成年子女的《出生医学证明》', ['父母姓名与申请人一致']),
      required: false,
    },
  },
  tree: {
    root: 'companions',
    questions: {
      companions: {
        text: { zh: '是否有随迁人员?(可多选,没有可跳过)', en: 'Is anyone moving with you? (optional)' },
        kind: 'multi',
        required: false,
        options: {
          spouse: { label: { zh: '配偶随迁', en: 'Spouse' }, add: ['companionIds', 'companionMarriage'] },
          child: { label: { zh: '未成年子女随迁', en: 'Minor children' }, add: ['companionIds', 'companionBirth'] },
        },
        next: { question: 'type' },
      },
      type: single(
        { zh: '您属于哪一种迁入情形?', en: 'Why are you moving your registration here?' },
        {
          relative: { label: { zh: '投靠亲属', en: 'Joining a relative' }, next: { question: 'relation' } },
          job: { label: { zh: '工作调动、招工招干', en: 'Employment or transfer' }, next: { situation: 'job' } },
          study: { label: { zh: '大中专学生入学、毕业、转(退)学', en: 'Students' }, next: { question: 'studyStage' } },
          house: { label: { zh: '购房入户', en: 'Home purchase' }, next: { situation: 'house' } },
          talent: { label: { zh: '人才引进', en: 'Talent scheme' }, next: { situation: 'talent' } },
          military: { label: { zh: '随军家属', en: 'Military family' }, next: { situation: 'military' } },
          adoption: { label: { zh: '收养', en: 'Adoption' }, next: { situation: 'adoption' } },
        },
      ),
      relation: single(
        { zh: '您投靠的是谁?', en: 'Whom are you joining?' },
        {
          parents: { label: { zh: '子女投靠父母' }, next: { question: 'childAge' } },
          spouse: { label: { zh: '投靠配偶' }, next: { situation: 'spouse' } },
          children: { label: { zh: '父母投靠子女' }, next: { situation: 'parents' } },
        },
      ),
      childAge: single(
        { zh: '投靠的子女是否已满18周岁?' },
        {
          minor: { label: { zh: '未满18周岁' }, next: { situation: 'childMinor' } },
          adult: { label: { zh: '已满18周岁' }, next: { situation: 'childAdult' } },
        },
      ),
      studyStage: single(
        { zh: '您处于哪个阶段?' },
        {
          enrol: { label: { zh: '考入本市院校' }, next: { situation: 'studyEnrol' } },
          graduate: { label: { zh: '毕业后在本市就业' }, next: { situation: 'studyGraduate' } },
          leave: { label: { zh: '转学、退学' }, next: { situation: 'studyLeave' } },
        },
      ),
    },
    situations: {
      childMinor: {
        name: { zh: '未成年子女投靠父母' }, keywords: ['孩子', '小孩', '未成年子女'],
        materials: ['application', 'applicant', 'sponsor', 'birthCertificate'],
        formId: FORM.transferIn,
      },
      childAdult: {
        name: { zh: '成年子女投靠父母' }, keywords: ['成年子女'],
        materials: ['application', 'applicant', 'sponsor', 'kinship'],
        formId: FORM.transferIn,
      },
      spouse: {
        name: { zh: '投靠配偶' }, keywords: ['结婚', '老公', '老婆', '丈夫', '妻子', '夫妻'],
        materials: ['application', 'applicant', 'sponsor', 'marriage'],
        formId: FORM.transferIn,
      },
      parents: {
        name: { zh: '父母投靠子女' }, keywords: ['老人', '父母年纪大', '养老', '投靠子女'],
        materials: ['application', 'applicant', 'sponsor', 'kinship'],
        formId: FORM.transferIn,
      },
      job: {
        name: { zh: '招工招干、工作调动迁入' }, keywords: ['工作调动', '招工', '单位调动'],
        materials: ['application', 'applicant', 'employment'],
        formId: FORM.transferIn,
      },
      studyEnrol: {
        name: { zh: '大中专学生入学迁入' }, keywords: ['考上大学', '入学', '新生'],
        materials: ['applicant', 'admission', 'migrationPermit'],
        note: '学生户口迁入学校集体户',
      },
      studyGraduate: {
        name: { zh: '大中专学生毕业迁入' }, keywords: ['毕业', '大学毕业', '留下工作'],
        materials: ['application', 'applicant', 'graduation', 'migrationPermit'],
        formId: FORM.transferIn,
      },
      studyLeave: {
        name: { zh: '大中专学生转(退)学迁回' }, keywords: ['退学', '转学'],
        materials: ['applicant', 'schoolLeave', 'migrationPermit'],
      },
      house: {
        name: { zh: '购房入户' }, keywords: ['买房', '买了房', '购房', '房子'],
        materials: ['application', 'applicant', 'property'],
        formId: FORM.transferIn,
        note: '按本市、县购房入户具体政策审核',
      },
      talent: {
        name: { zh: '人才引进迁入' }, keywords: ['人才', '引进', '人才落户'],
        materials: ['application', 'applicant', 'talent'],
        formId: FORM.transferIn,
      },
      military: {
        name: { zh: '随军家属迁入' }, keywords: ['随军', '军属', '军嫂'],
        materials: ['application', 'applicant', 'militaryApproval'],
        formId: FORM.transferIn,
      },
      adoption: {
        name: { zh: '收养子女迁入' }, keywords: ['收养', '领养'],
        materials: ['application', 'applicant', 'adoption'],
        formId: FORM.transferIn,
      },
    },
  },
});

/** 市内移居: moving a registration within the city; the result is an updated 户口簿. */
export const householdMoveWithinCity = defineService({
  id: 'household-move-within-city',
  code: 'SW-GA-HZ-009',
  name: { zh: '户口市内移居', en: 'Household registration move within the city' },
  departmentId: DEPARTMENT.household,
  theme: '户口迁移',
  queueId: QUEUE.household,
  formId: FORM.transferIn,
  keywords: ['hksnyj', 'snyj', '市内迁户口', '户口移居', '所内移居', '换户口地址'],
  guide: {
    conditions: ['本市户籍居民在本市(县)范围内迁移户口,并具备与迁移情形相符的证件、证明'],
    legalBasis: transferBasis,
    statutoryDays: 20,
    promisedDays: 5,
    fees: { free: true, description: '不收费' },
    place: HOUSEHOLD_PLACE,
    processSteps: ['取号后到户政窗口提交材料', '户籍民警审核', '办理移居登记并变更居民户口簿', '当场或到出件窗口领取户口簿'],
    applicants: 'person',
  },
  materials: {
    applicant: { ...residentIdCard, name: '申请人居民身份证、居民户口簿' },
    housing: proof('迁入地合法稳定住所证明(不动产权证书或租赁备案证明)', ['住所位于本市(县)']),
    kinship: proof('与被投靠人的亲属关系证明及被投靠人居民户口簿', ['关系可由户籍档案核实']),
    employment: proof('用人单位录用或调动证明', ['加盖单位公章']),
    adoption: proof('《收养登记证》', ['收养登记由民政部门办理']),
    other: proof('与申请条件相符的其他证件、证明', ['证明事由与申请一致']),
  },
  tree: {
    root: 'reason',
    questions: {
      reason: single(
        { zh: '市内移居的原因是?' },
        {
          housing: { label: { zh: '居住迁移(购房、搬迁)' }, next: { situation: 'housing' } },
          relative: { label: { zh: '投靠父母、配偶或子女' }, next: { situation: 'relative' } },
          job: { label: { zh: '人才引进、招工招干' }, next: { situation: 'job' } },
          adoption: { label: { zh: '收养小孩' }, next: { situation: 'adoption' } },
          other: { label: { zh: '其他原因所内移居' }, next: { situation: 'other' } },
        },
      ),
    },
    situations: {
      housing: { name: { zh: '居住迁移' }, keywords: ['搬家', '换地址', '新房子'], materials: ['applicant', 'housing'] },
      relative: { name: { zh: '市内投靠亲属' }, keywords: ['投靠'], materials: ['applicant', 'kinship'] },
      job: { name: { zh: '市内人才引进、招工招干' }, keywords: ['人才'], materials: ['applicant', 'employment'] },
      adoption: { name: { zh: '市内收养小孩' }, keywords: ['收养', '领养'], materials: ['applicant', 'adoption'] },
      other: { name: { zh: '其他原因所内移居' }, materials: ['applicant', 'other'] },
    },
  },
});

/**
 * 户口迁出: since inter-province moves are settled where the citizen moves to (跨省通办),
 * a visit here is needed for students, for moves to places outside the scheme, and for
 * the two 注销 cases the seed lists (参军服役, 出国(境)定居).
 */
export const householdTransferOut = defineService({
  id: 'household-transfer-out',
  code: 'SW-GA-HZ-008',
  name: { zh: '户口迁出', en: 'Household registration transfer out of the city' },
  departmentId: DEPARTMENT.household,
  theme: '户口迁移',
  queueId: QUEUE.household,
  keywords: ['hkqc', '迁出户口', '户口迁移证', '学生迁户口', '参军注销户口', '出国定居注销户口'],
  guide: {
    conditions: [
      '考取市外院校的学生,凭录取通知书迁出',
      '迁往未实行“跨省通办”地区的,凭迁入地公安机关签发的《准予迁入证明》迁出',
      '应征入伍、出国(境)定居的,办理户口注销',
    ],
    legalBasis: transferBasis,
    statutoryDays: 20,
    promisedDays: 0,
    fees: { free: true, description: '不收费' },
    place: HOUSEHOLD_PLACE,
    processSteps: ['取号后到户政窗口提交材料', '户籍民警核实', '签发《户口迁移证》或办理户口注销', '收回或变更居民户口簿'],
    applicants: 'person',
  },
  materials: {
    idAndBook: { ...residentIdCard, name: '申请人居民身份证、居民户口簿' },
    admission: proof('录取通知书', ['录取院校及报到时间清晰']),
    transferPermit: proof('迁入地公安机关签发的《准予迁入证明》', ['在有效期内', '被迁移人信息一致'], { copies: 0 }),
    enlistment: proof('《入伍通知书》或《军校录取通知书》', ['由县级人民武装部或军队院校出具']),
    foreignPassport: proof('有效外国护照和中国签证,或批准退籍证明', ['已取得外国国籍或获准定居']),
  },
  tree: {
    root: 'reason',
    questions: {
      reason: single(
        { zh: '户口迁出的原因?', en: 'Why is the registration leaving the city?' },
        {
          study: { label: { zh: '考取市外院校' }, next: { situation: 'study' } },
          move: { label: { zh: '迁往外地(已取得《准予迁入证明》)' }, next: { situation: 'move' } },
          military: { label: { zh: '应征入伍' }, next: { situation: 'military' } },
          abroad: { label: { zh: '出国(境)定居' }, next: { situation: 'abroad' } },
        },
      ),
    },
    situations: {
      study: { name: { zh: '学生持录取通知书迁出户口' }, keywords: ['考上外地大学', '录取通知书', '外地大学', '上大学'], materials: ['idAndBook', 'admission'] },
      move: { name: { zh: '凭《准予迁入证明》迁出户口' }, keywords: ['准迁证', '迁到外地', '迁走'], materials: ['idAndBook', 'transferPermit'] },
      military: { name: { zh: '参军服役注销户口' }, keywords: ['当兵', '参军', '入伍'], materials: ['idAndBook', 'enlistment'] },
      abroad: {
        name: { zh: '出国(境)定居注销户口' }, keywords: ['移民', '出国定居', '国外定居', '定居'],
        materials: ['idAndBook', 'foreignPassport'],
        note: '注销时交回居民身份证',
      },
    },
  },
});
