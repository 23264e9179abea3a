import { localDateTime, type Catalogue, type FormField, type FormSchema } from '@hall/shared';
import type { A4Document } from '@hall/devices';

type Value = string | number | string[] | undefined;

/** The ideographic space (U+3000) Chinese forms put between items on one line. */
const GAP = '\u3000';

/** A value as the paper form shows it: the label of a chosen option, not its code. */
export function printedValue(field: FormField, value: Value): string {
  if (value === undefined || value === '') return '';
  const labelOf = (v: string) => field.options?.find((o) => o.value === v)?.label.zh ?? v;
  if (Array.isArray(value)) return value.map(labelOf).join('、');
  return field.kind === 'choice' ? labelOf(String(value)) : String(value);
}

export interface ApplicationFormInput {
  catalogue: Catalogue;
  serviceId: string;
  situationId?: string | undefined;
  form: FormSchema;
  values: Record<string, Value>;
  caseId: string;
  now: number;
}

/**
 * The filled application form (申请表) as the citizen signs it at the counter: every field
 * in full, since it is their own paper. Only the job title, which print servers log, leaves
 * out everything personal (see the caller).
 */
export function applicationFormDocument(input: ApplicationFormInput): A4Document {
  const { catalogue, form, values } = input;
  const service = catalogue.services.find((s) => s.id === input.serviceId);
  const situation = service?.decisionTree?.situations.find((s) => s.id === input.situationId);
  const timeZone = catalogue.hall.timeZone;
  const about = [service?.name.zh, situation?.name.zh].filter((x): x is string => Boolean(x)).join(' · ');
  return {
    title: form.title.zh,
    subtitle: `${about}${GAP}办件编号 ${input.caseId.slice(-12)}`,
    sections: form.sections.map((section) => ({
      heading: section.title.zh,
      rows: section.fields.map((field) => ({ label: field.label.zh, value: printedValue(field, values[field.id]) })),
    })),
    footer: [
      `申请人（签名）：______________${GAP.repeat(3)}日期：______年____月____日`,
      `${catalogue.hall.name.zh}${GAP}自助终端填写${GAP}${localDateTime(input.now, timeZone)}`,
    ],
    createdAt: new Date(input.now),
  };
}
