import { MaterialSchema, ServiceSchema, drawShared, type Material, type Service, type SharedMaterial } from '@hall/shared';
import { serviceProblems } from '../rules/service';
import { APPLICANT_WORDS, FORM_WORDS, MATERIAL_SHEET, SERVICE_SHEET, type MaterialRow, type ServiceRow } from './excel';

/** What is wrong with one row of the workbook; the import writes nothing while any exist. */
export interface RowError {
  sheet: string;
  row: number;
  message: string;
}

export interface ImportContext {
  /** The hall's services now, by id: an import keeps their tree, forms and caps. */
  existing: ReadonlyMap<string, Service>;
  /** Services of other halls: an import may not take them over. */
  foreignServiceIds: ReadonlySet<string>;
  departmentIds: ReadonlySet<string>;
  queueIds: ReadonlySet<string>;
  library: ReadonlyMap<string, SharedMaterial>;
}

const splitLines = (text: string) => text.split(/\r?\n/).map((s) => s.trim()).filter((s) => s !== '');
/** Tags and keywords are also typed on one line, separated by 、 ， ; or commas. */
const splitWords = (text: string) => text.split(/[\r\n,，;；、]+/).map((s) => s.trim()).filter((s) => s !== '');

function reverse<T extends string>(words: Record<T, string>, text: string): T | undefined {
  return (Object.keys(words) as T[]).find((key) => words[key] === text || key === text);
}

function yesNo(text: string): boolean | undefined {
  if (['是', 'Y', 'y', 'yes', 'true', '1'].includes(text)) return true;
  if (['否', 'N', 'n', 'no', 'false', '0', ''].includes(text)) return false;
  return undefined;
}

function count(text: string): number | undefined {
  return /^\d+$/.test(text) ? Number(text) : undefined;
}

/** Schema paths as the workbook's column titles, so a row error names the cell to fix. */
const COLUMN_OF: Record<string, string> = {
  id: 'ID', code: '事项编码', 'name.zh': '事项名称', 'name.en': '英文名称', departmentId: '部门ID', queueId: '队列ID', theme: '主题', tags: '标签', keywords: '关键词',
  'guide.conditions': '受理条件', 'guide.legalBasis': '设定依据', 'guide.place': '办理地点', 'guide.processSteps': '办理流程', 'guide.fees.description': '收费说明',
};
const MATERIAL_COLUMN_OF: Record<string, string> = { id: '材料ID', name: '材料名称', reviewPoints: '审查要点', note: '备注' };

/** The workbook is the hall manager's, in Chinese: its errors are too (a schema detail stays as the schema says it). */
function issueText(issue: { path: PropertyKey[]; code: string; message: string }, columns: Record<string, string>): string {
  const path = issue.path.map(String).join('.');
  const column = columns[path] ?? columns[path.replace(/\.\d+$/, '')] ?? path;
  return issue.code === 'too_small' ? `${column}：必填` : `${column}：${issue.message}`;
}

function formRefsOf(m: Material | undefined): Pick<Material, 'blankFormRef' | 'sampleFormRef'> {
  return { ...(m?.blankFormRef ? { blankFormRef: m.blankFormRef } : {}), ...(m?.sampleFormRef ? { sampleFormRef: m.sampleFormRef } : {}) };
}

function materialOf(r: MaterialRow, ctx: ImportContext, errors: RowError[]): Material | undefined {
  const library = ctx.library;
  const c = r.cells;
  const fail = (message: string) => {
    errors.push({ sheet: MATERIAL_SHEET, row: r.row, message });
    return undefined;
  };
  const required = yesNo(c.是否必需);
  if (required === undefined) return fail(`是否必需：应填“是”或“否”，不能是“${c.是否必需}”`);
  if (c.共享材料ID) {
    const shared = library.get(c.共享材料ID);
    if (!shared) return fail(`共享材料ID：本大厅的共享材料库中没有 ${c.共享材料ID}`);
    // The library owns the material's fields: what the row says beside the id is ignored.
    return drawShared({ ...(shared as Material), id: c.材料ID || shared.id, required }, shared);
  }
  const form = reverse(FORM_WORDS, c.形式);
  if (!form) return fail(`形式：应为${Object.values(FORM_WORDS).join('、')}之一，不能是“${c.形式}”`);
  const originals = count(c.原件份数 || '0');
  const copies = count(c.复印件份数 || '0');
  if (originals === undefined || copies === undefined) return fail('原件份数、复印件份数：应为不小于 0 的整数');
  const parsed = MaterialSchema.safeParse({
    id: c.材料ID,
    name: c.材料名称,
    originals,
    copies,
    form,
    required,
    reviewPoints: splitLines(c.审查要点),
    ...(c.备注 ? { note: c.备注 } : {}),
    // Blank and sample forms are not in the workbook: the material keeps the ones it has.
    ...formRefsOf(ctx.existing.get(c.事项ID)?.materials.find((m) => m.id === c.材料ID)),
  });
  if (!parsed.success) return fail(parsed.error.issues.map((i) => issueText(i, MATERIAL_COLUMN_OF)).join('；'));
  return parsed.data;
}

function serviceOf(r: ServiceRow, materials: Material[], ctx: ImportContext, errors: RowError[]): Service | undefined {
  const c = r.cells;
  const problems: string[] = [];
  // Fields checked here with the column's own words: the schema's message for them would only repeat it.
  const reported = new Set<string>();
  const report = (path: string, message: string) => {
    reported.add(path);
    problems.push(message);
  };
  const statutoryDays = count(c['法定时限(工作日)']);
  const promisedDays = count(c['承诺时限(工作日)']);
  if (statutoryDays === undefined) report('guide.statutoryDays', '法定时限(工作日)：应为工作日数（不小于 0 的整数）');
  if (promisedDays === undefined) report('guide.promisedDays', '承诺时限(工作日)：应为工作日数（不小于 0 的整数）');
  const charged = yesNo(c.是否收费);
  if (charged === undefined) report('guide.fees.free', `是否收费：应填“是”或“否”，不能是“${c.是否收费}”`);
  const online = yesNo(c.可网上办理);
  if (online === undefined) report('guide.onlineAvailable', `可网上办理：应填“是”或“否”，不能是“${c.可网上办理}”`);
  const applicants = reverse(APPLICANT_WORDS, c.办理对象);
  if (!applicants) report('guide.applicants', `办理对象：应为${Object.values(APPLICANT_WORDS).join('、')}之一，不能是“${c.办理对象}”`);
  if (c.部门ID && !ctx.departmentIds.has(c.部门ID)) problems.push(`部门ID：本大厅没有部门 ${c.部门ID}`);
  if (c.队列ID && !ctx.queueIds.has(c.队列ID)) problems.push(`队列ID：本大厅没有队列 ${c.队列ID}`);
  if (ctx.foreignServiceIds.has(c.ID)) problems.push(`ID：${c.ID} 是其他大厅的事项`);
  if (materials.length === 0) problems.push(`“${MATERIAL_SHEET}”表中没有这个事项的材料：每个事项至少要有一份材料`);
  const kept = ctx.existing.get(c.ID);
  const candidate = {
    // Not in the workbook, so as they are: the tree, forms, cap and 容缺受理.
    ...(kept ? { decisionTree: kept.decisionTree, formId: kept.formId, dailyCap: kept.dailyCap, acceptWithPendingMaterials: kept.acceptWithPendingMaterials } : {}),
    id: c.ID,
    code: c.事项编码,
    name: { zh: c.事项名称, ...(c.英文名称 ? { en: c.英文名称 } : {}) },
    departmentId: c.部门ID,
    queueId: c.队列ID,
    theme: c.主题,
    ...(splitWords(c.标签).length > 0 ? { tags: splitWords(c.标签) } : {}),
    keywords: splitWords(c.关键词),
    materials,
    guide: {
      ...(c.承办机构 ? { handlingAuthority: c.承办机构 } : {}),
      ...(c.咨询电话 ? { enquiryPhone: c.咨询电话 } : {}),
      legalBasis: splitLines(c.设定依据),
      conditions: splitLines(c.受理条件),
      statutoryDays,
      promisedDays,
      fees: { free: !charged, description: c.收费说明 },
      place: c.办理地点,
      processSteps: splitLines(c.办理流程),
      applicants,
      onlineAvailable: online,
    },
  };
  const parsed = ServiceSchema.safeParse(JSON.parse(JSON.stringify(candidate)));
  if (!parsed.success) problems.push(...parsed.error.issues.filter((i) => i.path[0] !== 'materials' && !reported.has(i.path.join('.'))).map((i) => issueText(i, COLUMN_OF)));
  else problems.push(...serviceProblems(parsed.data));
  if (problems.length > 0 || !parsed.success) {
    errors.push({ sheet: SERVICE_SHEET, row: r.row, message: problems.join('；') });
    return undefined;
  }
  return parsed.data;
}

/**
 * Turns the workbook's rows into services, checking every row against the schema and the
 * hall. Either every row is good and all services come back, or the errors name each bad
 * row and nothing is to be written.
 */
export function buildImport(rows: { services: ServiceRow[]; materials: MaterialRow[] }, ctx: ImportContext): { services: Service[]; errors: RowError[] } {
  const errors: RowError[] = [];
  const serviceRowById = new Map<string, number>();
  for (const r of rows.services) {
    const seen = serviceRowById.get(r.cells.ID);
    if (seen !== undefined) errors.push({ sheet: SERVICE_SHEET, row: r.row, message: `ID：${r.cells.ID} 与第 ${seen} 行重复` });
    else serviceRowById.set(r.cells.ID, r.row);
  }
  const materialsOf = new Map<string, Material[]>();
  for (const r of rows.materials) {
    if (!serviceRowById.has(r.cells.事项ID)) {
      errors.push({ sheet: MATERIAL_SHEET, row: r.row, message: `事项ID：“${SERVICE_SHEET}”表中没有 ${r.cells.事项ID}` });
      continue;
    }
    const material = materialOf(r, ctx, errors);
    if (material) materialsOf.set(r.cells.事项ID, [...(materialsOf.get(r.cells.事项ID) ?? []), material]);
  }
  const services: Service[] = [];
  for (const r of rows.services) {
    if (serviceRowById.get(r.cells.ID) !== r.row) continue;
    const service = serviceOf(r, materialsOf.get(r.cells.ID) ?? [], ctx, errors);
    if (service) services.push(service);
  }
  errors.sort((a, b) => (a.sheet === b.sheet ? a.row - b.row : a.sheet === SERVICE_SHEET ? -1 : 1));
  return { services: errors.length > 0 ? [] : services, errors };
}
