import { defineService, single } from '../define';
import { DEPARTMENT, FORM, QUEUE } from '../ids';
import { guardianProof, onSitePhoto, proof, residentIdCard } from '../materials';
import { HOUSEHOLD_PLACE } from './places';

export const residencePermit = defineService({
  id: 'residence-permit',
  code: 'SW-GA-HZ-003',
  name: { zh: '居住证申领', en: 'Residence permit' },
  departmentId: DEPARTMENT.household,
  theme: '居住证',
  queueId: QUEUE.household,
  formId: FORM.residencePermit,
  dailyCap: 100,
  keywords: ['jzzsl', 'jzz', '办居住证', '居住证换领', '居住证补领', '暂住证', '流动人口'],
  guide: {
    conditions: [
      '离开常住户口所在地,到本市居住半年以上,并已办理居住登记',
      '符合有合法稳定就业、合法稳定住所、连续就读条件之一',
      '未满16周岁或行动不便的老年人等,可由监护人、近亲属代为申领',
    ],
    legalBasis: ['《居住证暂行条例》(国务院令第663号)', '《广东省流动人口服务管理条例》'],
    statutoryDays: 15,
    promisedDays: 10,
    fees: {
      free: false,
      description: '首次申领不收费;换领、补领每证工本费20元(按省价格主管部门核定标准)',
    },
    place: HOUSEHOLD_PLACE,
    processSteps: [
      '取号后到户政窗口(或居住地派出所、粤居码自助机)提交申请',
      '窗口核验居住登记信息及证明材料,现场采集相片',
      '公安机关审核制证',
      '凭受理回执到出件窗口或24小时文件柜领取',
    ],
    applicants: 'person',
    onlineAvailable: true,
  },
  materials: {
    idCard: residentIdCard,
    photo: onSitePhoto,
    registration: {
      name: '居住登记凭证(居住登记满半年)',
      originals: 1,
      copies: 0,
      form: 'paper_or_electronic',
      required: true,
      reviewPoints: ['居住登记已满半年,可在系统核验'],
    },
    employment: proof('合法稳定就业证明(劳动合同、营业执照或用人单位出具的就业证明)', ['在有效期内', '用人单位在本市']),
    housing: proof('合法稳定住所证明(不动产权证书或经登记备案的房屋租赁合同)', ['住所位于本市', '租赁合同已备案']),
    study: proof('学校出具的连续就读证明', ['加盖学校公章', '学校位于本市']),
    oldPermit: {
      name: '原居住证(换领时交回)',
      originals: 1,
      copies: 0,
      form: 'paper',
      required: true,
      reviewPoints: ['证件损坏或信息变更'],
    },
    guardian: { ...guardianProof, required: false },
  },
  tree: {
    root: 'minor',
    questions: {
      kind: single(
        { zh: '您要办理哪一项?', en: 'What do you need?' },
        {
          first: { label: { zh: '首次申领', en: 'First application' }, next: { question: 'basis' } },
          renew: { label: { zh: '换领(证件损坏、信息变更)', en: 'Renewal' }, next: { situation: 'renew' } },
          replace: { label: { zh: '补领(证件丢失)', en: 'Replacement' }, next: { situation: 'replace' } },
        },
      ),
      basis: single(
        { zh: '您在本市居住的依据是?', en: 'On what grounds do you live here?' },
        {
          job: { label: { zh: '合法稳定就业' }, next: { situation: 'job' } },
          housing: { label: { zh: '合法稳定住所' }, next: { situation: 'housing' } },
          study: { label: { zh: '连续就读' }, next: { situation: 'study' } },
        },
      ),
      minor: single(
        { zh: '申请人是否未满16周岁?(可跳过)' },
        {
          yes: { label: { zh: '是,由监护人代为申领' }, add: ['guardian'] },
          no: { label: { zh: '否' } },
        },
        { required: false, next: { question: 'kind' } },
      ),
    },
    situations: {
      job: { name: { zh: '凭合法稳定就业首次申领' }, keywords: ['上班', '工作', '打工', '就业', '外地人'], materials: ['idCard', 'photo', 'registration', 'employment'], formId: FORM.residencePermit },
      housing: { name: { zh: '凭合法稳定住所首次申领' }, keywords: ['买房', '租房', '房子', '住所'], materials: ['idCard', 'photo', 'registration', 'housing'], formId: FORM.residencePermit },
      study: { name: { zh: '凭连续就读首次申领' }, keywords: ['读书', '上学', '学生', '就读'], materials: ['idCard', 'photo', 'registration', 'study'], formId: FORM.residencePermit },
      renew: { name: { zh: '换领居住证' }, keywords: ['坏了', '换一张', '信息变了', '换证'], materials: ['idCard', 'photo', 'oldPermit'] },
      replace: { name: { zh: '补领居住证' }, keywords: ['丢了', '不见了', '补办'], materials: ['idCard', 'photo'] },
    },
  },
});
