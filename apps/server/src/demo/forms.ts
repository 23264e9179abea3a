import type { AutofillSource, FieldKind, FormField, FormSchema, FormSection, LocalizedText } from '@hall/shared';
import { FORM } from './ids';

/**
 * Application forms filled on the kiosk. Fields that identify a person are marked
 * personal so other screens mask them; most are prefilled from the ID card, the
 * residence code or the citizen's earlier submissions.
 */

type FieldOptions = Partial<Omit<FormField, 'id' | 'label' | 'kind'>>;

function field(id: string, zh: string, kind: FieldKind, options: FieldOptions = {}): FormField {
  return {
    id,
    label: { zh },
    kind,
    required: options.required ?? true,
    autofill: options.autofill ?? [],
    personal: options.personal ?? false,
    ...options,
  };
}

function choice(id: string, zh: string, labels: Record<string, string>, options: FieldOptions = {}): FormField {
  return field(id, zh, 'choice', {
    options: Object.entries(labels).map(([value, label]) => ({ value, label: { zh: label } })),
    ...options,
  });
}

function section(id: string, zh: string, fields: FormField[]): FormSection {
  return { id, title: { zh }, fields };
}

function form(id: string, title: LocalizedText, sections: FormSection[]): FormSchema {
  return { id, version: 1, title, sections };
}

const YEAR = 365;

const name = (id = 'name', zh = '姓名', autofill: AutofillSource[] = ['idcard.name', 'residenceCode.name', 'history']) =>
  field(id, zh, 'text', { minLength: 2, maxLength: 20, autofill, personal: true });

const idNumber = (
  id = 'idNumber',
  zh = '公民身份号码',
  autofill: AutofillSource[] = ['idcard.idNumber', 'residenceCode.idNumber', 'history'],
) => field(id, zh, 'id_number', { autofill, personal: true });

const phone = (id = 'phone', zh = '联系电话') =>
  field(id, zh, 'phone', { autofill: ['residenceCode.phone', 'history'], personal: true });

const address = (id: string, zh: string, autofill: AutofillSource[] = ['history'], required = true) =>
  field(id, zh, 'address', { minLength: 5, maxLength: 100, autofill, personal: true, required });

const sex = () =>
  choice('sex', '性别', { male: '男', female: '女' }, { autofill: ['idcard.sex'] });

const birthDate = (id = 'birthDate', zh = '出生日期', autofill: AutofillSource[] = ['idcard.birthDate']) =>
  field(id, zh, 'date', { minDaysFromToday: -120 * YEAR, maxDaysFromToday: 0, autofill });

const applicantSection = (extra: FormField[] = []) =>
  section('applicant', '申请人信息', [name(), idNumber(), phone(), ...extra]);

const pickup = () =>
  choice('pickup', '领取方式', { counter: '出件窗口领取', post: '邮寄送达', locker: '24小时文件柜领取' });

const postalAddress = () => address('postalAddress', '邮寄地址(选择邮寄时填写)', ['history'], false);

const certificatePurpose = () =>
  choice('purpose', '证明用途', {
    school: '入学', employment: '就业', social: '社保、医保', property: '房产、继承', notary: '公证', other: '其他',
  });

export const demoForms: FormSchema[] = [
  form(FORM.certificate, { zh: '户籍证明申请表', en: 'Household certificate application' }, [
    applicantSection([address('householdAddress', '户籍地址', ['idcard.address', 'history'])]),
    section('request', '申请内容', [
      certificatePurpose(),
      field('details', '需证明的事项及线索', 'text', { minLength: 4, maxLength: 500 }),
      pickup(),
      postalAddress(),
    ]),
  ]),
  form(FORM.kinship, { zh: '亲属关系证明申请表', en: 'Kinship certificate application' }, [
    applicantSection(),
    section('relative', '被证明亲属', [
      name('relativeName', '亲属姓名', ['history']),
      idNumber('relativeIdNumber', '亲属公民身份号码', ['history']),
      choice('relationship', '与申请人关系', {
        parent: '父母', child: '子女', spouse: '配偶', sibling: '兄弟姐妹', grandparent: '祖父母、外祖父母', grandchild: '孙子女、外孙子女',
      }),
    ]),
    section('request', '申请内容', [certificatePurpose(), pickup(), postalAddress()]),
  ]),
  form(FORM.transferIn, { zh: '入户申请审批表', en: 'Household transfer-in application' }, [
    applicantSection([sex(), birthDate(), address('fromAddress', '现户籍地址', ['idcard.address', 'history'])]),
    section('move', '迁入信息', [
      address('toAddress', '拟迁入地址'),
      choice('reason', '迁入原因', {
        relative: '投靠亲属', job: '工作调动、招工招干', study: '大中专学生', house: '购房入户',
        talent: '人才引进', military: '随军家属', adoption: '收养',
      }),
      field('companions', '随迁人数', 'number', { min: 0, max: 10, help: { zh: '不含申请人本人' } }),
    ]),
    section('sponsor', '被投靠人(投靠亲属时填写)', [
      name('sponsorName', '被投靠人姓名', ['history']),
      idNumber('sponsorIdNumber', '被投靠人公民身份号码', ['history']),
      choice('sponsorRelation', '与申请人关系', { parent: '父母', spouse: '配偶', child: '子女' }),
    ].map((f) => ({ ...f, required: false }))),
  ]),
  form(FORM.idCard, { zh: '居民身份证申领登记表', en: 'Resident ID card application' }, [
    section('holder', '持证人信息', [
      name(),
      sex(),
      field('nation', '民族', 'text', { minLength: 1, maxLength: 10, autofill: ['idcard.nation', 'history'] }),
      birthDate(),
      idNumber(),
      address('address', '住址', ['idcard.address', 'residenceCode.address', 'history']),
      phone(),
    ]),
    section('request', '申领信息', [
      choice('reason', '申领原因', { first: '首次申领', expired: '有效期满换领', damaged: '损坏换领', changed: '项目变更换领', lost: '丢失补领' }),
      pickup(),
      postalAddress(),
    ]),
  ]),
  form(FORM.residencePermit, { zh: '居住证申领登记表', en: 'Residence permit application' }, [
    applicantSection([address('householdAddress', '户籍地址', ['idcard.address', 'history'])]),
    section('residence', '居住信息', [
      address('residenceAddress', '本市居住地址', ['residenceCode.address', 'history']),
      field('residenceSince', '来本市居住日期', 'date', { minDaysFromToday: -80 * YEAR, maxDaysFromToday: -180 }),
      choice('basis', '居住事由', { job: '就业', housing: '住所', study: '就读' }),
      field('employer', '工作单位或就读学校', 'text', { required: false, maxLength: 60, autofill: ['history'] }),
    ]),
  ]),
  form(FORM.birth, { zh: '出生登记申请表', en: 'Birth registration application' }, [
    section('child', '新生儿信息', [
      field('childName', '姓名', 'text', { minLength: 2, maxLength: 20, personal: true }),
      choice('childSex', '性别', { male: '男', female: '女' }),
      birthDate('childBirthDate', '出生日期', []),
      field('birthCertificateNo', '《出生医学证明》编号', 'text', { minLength: 10, maxLength: 12 }),
      address('birthPlace', '出生地点', []),
    ]),
    section('declarant', '申报人(父亲或母亲)', [name(), idNumber(), phone()]),
    section('otherParent', '另一方父母', [
      name('otherParentName', '姓名', ['history']),
      idNumber('otherParentIdNumber', '公民身份号码', ['history']),
    ].map((f) => ({ ...f, required: false }))),
  ]),
  form(FORM.nameChange, { zh: '户口项目变更更正申请审批表(姓名变更)', en: 'Change of name application' }, [
    applicantSection([birthDate()]),
    section('change', '变更内容', [
      field('newName', '拟变更姓名', 'text', { minLength: 2, maxLength: 20, personal: true }),
      field('reason', '变更理由', 'text', { minLength: 4, maxLength: 300 }),
    ]),
  ]),
  form(FORM.exitEntry, { zh: '中国公民出入境证件申请表', en: 'Application for exit-entry documents' }, [
    applicantSection([
      field('pinyinName', '姓名拼音', 'text', { minLength: 2, maxLength: 40, autofill: ['history'], personal: true }),
      sex(),
      birthDate(),
      address('householdAddress', '户籍地址', ['idcard.address', 'history']),
    ]),
    section('request', '申请内容', [
      choice('documents', '申请证件', { passport: '普通护照', hkMacao: '往来港澳通行证', taiwan: '往来台湾通行证' }, { multiple: true }),
      field('travelDate', '预计出行日期', 'date', { required: false, minDaysFromToday: 0, maxDaysFromToday: YEAR }),
      field('trips', '签注次数', 'number', { required: false, min: 1, max: 2 }),
    ]),
    section('emergency', '紧急联系人', [name('emergencyName', '姓名', ['history']), phone('emergencyPhone', '电话')]),
  ]),
  form(FORM.driverLicence, { zh: '机动车驾驶证申请表', en: "Driver's licence application" }, [
    applicantSection([address('address', '联系地址', ['idcard.address', 'history'])]),
    section('licence', '驾驶证信息', [
      field('fileNumber', '驾驶证档案编号', 'text', { minLength: 12, maxLength: 12, autofill: ['history'] }),
      choice('licenceClass', '准驾车型', { C1: 'C1 小型汽车', C2: 'C2 小型自动挡汽车', B2: 'B2 大型货车', A1: 'A1 大型客车', D: 'D 普通三轮摩托车', E: 'E 普通二轮摩托车' }),
      choice('request', '申请事项', { renewal: '有效期满换证', change: '信息变化换证', damaged: '损毁换证', lost: '遗失补证' }),
      pickup(),
    ]),
  ]),
];
