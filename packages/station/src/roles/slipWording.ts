import { DEFAULT_SLIP_TEMPLATES, QR_PLACEHOLDER, slipTemplateFor, type Catalogue, type Service, type SlipKind } from '@hall/shared';
import { formatIssueTime, renderTemplateSlip, type RenderedSlip } from '@hall/devices';

/**
 * The counter's slips in the wording the console set for the service (回执个性化定制). The
 * templates come with the catalogue, so a counter offline prints what was last synced.
 */
export interface AcceptanceFacts {
  caseNumber: string;
  applicantMasked: string;
  counterNumber: string;
  acceptedAt: string;
  staffNumber: string;
  pending: readonly string[];
  received: readonly string[];
  qrPayload: string;
}

function timeLimit(service: Service): string {
  return service.guide.promisedDays === 0 ? '即办' : `${service.guide.promisedDays}个工作日`;
}

const numbered = (lines: readonly string[]) => lines.map((line, i) => `${i + 1}. ${line}`).join('\n');

function acceptanceValues(catalogue: Catalogue, service: Service, facts: AcceptanceFacts): Record<string, string> {
  const department = catalogue.departments?.find((d) => d.id === service.departmentId)?.name.zh ?? '';
  return {
    大厅名称: catalogue.hall.name.zh,
    办件编号: facts.caseNumber,
    办理事项: service.name.zh,
    申请人: facts.applicantMasked,
    受理窗口: facts.counterNumber,
    受理时间: formatIssueTime(facts.acceptedAt, catalogue.hall.timeZone),
    承诺时限: timeLimit(service),
    经办人: facts.staffNumber,
    容缺材料: facts.pending.join('、'),
    收取材料: numbered(facts.received),
    承办部门: department,
    [QR_PLACEHOLDER]: facts.qrPayload,
  };
}

/** 受理回执 in the service's wording (the built-in one when the console set none). */
export function acceptanceReceipt(catalogue: Catalogue, service: Service, facts: AcceptanceFacts): RenderedSlip {
  const body = slipTemplateFor(catalogue.slipTemplates, 'acceptance_receipt', service.id) ?? DEFAULT_SLIP_TEMPLATES.acceptance_receipt;
  return renderTemplateSlip(body, acceptanceValues(catalogue, service, facts));
}

/** 受理确认单 for the department, printed only where the console set a template for it. */
export function confirmationSlip(catalogue: Catalogue, service: Service, facts: AcceptanceFacts): RenderedSlip | undefined {
  const body = slipTemplateFor(catalogue.slipTemplates, 'confirmation_slip', service.id);
  return body === undefined ? undefined : renderTemplateSlip(body, acceptanceValues(catalogue, service, facts));
}

export interface NoticeFacts {
  materials: readonly string[];
  notes: readonly string[];
  issuedAt: string;
  counterNumber?: string;
}

/** 一次性告知单 in the service's wording; the kiosk prints it too, without a window. */
export function oneTimeNotice(catalogue: Catalogue, service: Service, facts: NoticeFacts): RenderedSlip {
  const body = slipTemplateFor(catalogue.slipTemplates, 'one_time_notice' satisfies SlipKind, service.id) ?? DEFAULT_SLIP_TEMPLATES.one_time_notice;
  return renderTemplateSlip(body, {
    大厅名称: catalogue.hall.name.zh,
    办理事项: service.name.zh,
    材料清单: numbered(facts.materials),
    注意事项: facts.notes.map((n) => `· ${n}`).join('\n'),
    告知窗口: facts.counterNumber,
    告知时间: formatIssueTime(facts.issuedAt, catalogue.hall.timeZone),
  });
}
