import type { MaterialSpec } from './define';

/**
 * Materials that recur across many matters, worded as the seed's 审核材料 lists word
 * them. Services spread these into their own material records so each service still
 * owns its ids and can adjust counts or review points.
 */

export const identityDocument: MaterialSpec = {
  name: '申办人的个人身份证件(居民身份证;也可以使用符合国家规定的其他证明方式证明身份)',
  originals: 1,
  copies: 0,
  form: 'paper_or_electronic',
  required: true,
  reviewPoints: ['证件在有效期内', '人证一致(现场比对相片)', '可用粤居码、电子身份证替代实体证件'],
};

export const residentIdCard: MaterialSpec = {
  name: '居民身份证',
  originals: 1,
  copies: 1,
  form: 'paper_or_electronic',
  required: true,
  reviewPoints: ['证件在有效期内', '人证一致', '复印件正反面印在同一页'],
};

export const householdBook: MaterialSpec = {
  name: '居民户口簿',
  originals: 1,
  copies: 1,
  form: 'paper',
  required: true,
  reviewPoints: ['户主页和本人页齐全', '户口簿记载信息与人口信息系统一致'],
};

export const writtenApplication: MaterialSpec = {
  name: '书面申请报告(陈述事由及线索)',
  originals: 1,
  copies: 0,
  form: 'paper',
  required: true,
  reviewPoints: ['写明申请事由、用途及可供核查的线索', '申请人签名并注明日期'],
};

export const powerOfAttorney: MaterialSpec = {
  name: '委托书及受托人居民身份证(委托他人代办的)',
  originals: 1,
  copies: 1,
  form: 'paper',
  required: false,
  reviewPoints: ['委托事项、期限明确', '委托人签名或按捺指印', '受托人人证一致'],
};

export const guardianProof: MaterialSpec = {
  name: '监护人居民身份证及监护关系证明(出生医学证明或居民户口簿)',
  originals: 1,
  copies: 1,
  form: 'paper',
  required: true,
  reviewPoints: ['监护人到场', '监护关系可由户口簿或出生医学证明核实'],
};

/** Photos are taken free of charge at the counter (现场采集), so the citizen brings none. */
export const onSitePhoto: MaterialSpec = {
  name: '本人近期免冠彩色数码相片(窗口现场免费采集)',
  originals: 1,
  copies: 0,
  form: 'electronic',
  required: true,
  reviewPoints: ['符合证件照片标准:白色背景、不戴帽、露出双耳', '相片与本人相符'],
};

export const marriageCertificate: MaterialSpec = {
  name: '结婚证',
  originals: 1,
  copies: 1,
  form: 'paper',
  required: true,
  reviewPoints: ['结婚证登记信息与身份证件一致'],
};

/** A supporting document the citizen brings: one original to show, one copy to keep. */
export function proof(name: string, reviewPoints: string[], extra: Partial<MaterialSpec> = {}): MaterialSpec {
  return { name, originals: 1, copies: 1, form: 'paper', required: true, reviewPoints, ...extra };
}
