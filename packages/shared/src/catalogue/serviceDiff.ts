import type { Material, Service } from '../domain/catalogue';

/** One field of a service (or of one material) as it was and as it is; '' for absent. */
export interface FieldChange {
  field: string;
  before: string;
  after: string;
}

export type MaterialChange =
  | { kind: 'added' | 'removed'; materialId: string; name: string }
  | { kind: 'changed'; materialId: string; name: string; changes: FieldChange[] };

/** 版本差异: what a save changed, field by field, and which materials came, went or changed. */
export interface ServiceDiff {
  fields: FieldChange[];
  materials: MaterialChange[];
}

/** Multi-line fields read one item per line, as the guide prints them. */
function show(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(show).join('\n');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

const SERVICE_FIELDS: readonly [string, (s: Service) => unknown][] = [
  ['code', (s) => s.code],
  ['name.zh', (s) => s.name.zh],
  ['name.en', (s) => s.name.en],
  ['departmentId', (s) => s.departmentId],
  ['queueId', (s) => s.queueId],
  ['theme', (s) => s.theme],
  ['tags', (s) => s.tags],
  ['keywords', (s) => s.keywords],
  ['guide.handlingAuthority', (s) => s.guide.handlingAuthority],
  ['guide.legalBasis', (s) => s.guide.legalBasis],
  ['guide.conditions', (s) => s.guide.conditions],
  ['guide.statutoryDays', (s) => s.guide.statutoryDays],
  ['guide.promisedDays', (s) => s.guide.promisedDays],
  ['guide.processSteps', (s) => s.guide.processSteps],
  ['guide.fees.free', (s) => s.guide.fees.free],
  ['guide.fees.description', (s) => s.guide.fees.description],
  ['guide.place', (s) => s.guide.place],
  ['guide.enquiryPhone', (s) => s.guide.enquiryPhone],
  ['guide.applicants', (s) => s.guide.applicants],
  ['guide.onlineAvailable', (s) => s.guide.onlineAvailable],
  ['formId', (s) => s.formId],
  ['dailyCap', (s) => s.dailyCap],
  ['acceptWithPendingMaterials', (s) => s.acceptWithPendingMaterials],
  // The tree has its own editor and preview; the diff only says that it changed.
  ['decisionTree', (s) => (s.decisionTree ? JSON.stringify(s.decisionTree) : undefined)],
];

const MATERIAL_FIELDS: readonly (keyof Material)[] = ['name', 'originals', 'copies', 'form', 'required', 'sharedId', 'blankFormRef', 'sampleFormRef', 'reviewPoints', 'note'];

function changes<T>(a: T, b: T, fields: readonly [string, (x: T) => unknown][]): FieldChange[] {
  return fields.flatMap(([field, read]) => {
    const before = show(read(a));
    const after = show(read(b));
    return before === after ? [] : [{ field, before, after }];
  });
}

export function diffServices(before: Service, after: Service): ServiceDiff {
  const old = new Map(before.materials.map((m) => [m.id, m]));
  const now = new Map(after.materials.map((m) => [m.id, m]));
  const materials: MaterialChange[] = [];
  for (const m of after.materials) {
    const was = old.get(m.id);
    if (!was) {
      materials.push({ kind: 'added', materialId: m.id, name: m.name });
      continue;
    }
    const fieldChanges = changes(was, m, MATERIAL_FIELDS.map((f) => [f, (x: Material) => x[f]] as const));
    if (fieldChanges.length > 0) materials.push({ kind: 'changed', materialId: m.id, name: m.name, changes: fieldChanges });
  }
  for (const m of before.materials) if (!now.has(m.id)) materials.push({ kind: 'removed', materialId: m.id, name: m.name });
  return { fields: changes(before, after, SERVICE_FIELDS), materials };
}
