import { describe, expect, it } from 'vitest';
import { clashingPrefixes, type NextStep, type Service, type SituationQuestion } from '@hall/shared';
import {
  CallingRulesSchema,
  CounterSchema,
  DepartmentSchema,
  FormSchemaSchema,
  HallSchema,
  QueueSchema,
  ServiceSchema,
  StaffSchema,
  describeTreeDefect,
  evaluateDecisionTree,
  nextStepAfter,
  searchServices,
  validateDecisionTree,
} from '@hall/shared';
import { demoHall } from './index';

const { hall, departments, queues, counters, staff, services, forms, callingRules } = demoHall;

function duplicates(values: readonly string[]): string[] {
  const seen = new Set<string>();
  return values.filter((v) => (seen.has(v) ? true : (seen.add(v), false)));
}

function byId<T extends { id: string }>(items: readonly T[]): Map<string, T> {
  return new Map(items.map((item) => [item.id, item]));
}

interface AnswerPath {
  answers: Record<string, string[]>;
  questionIds: string[];
  situationId: string;
}

/**
 * Every way through a tree: each option of a single-choice question, every subset of a
 * multi-choice one, and the skip of an optional one. Throws on a loop or a dead end, so
 * "every path ends in a situation and nothing cycles" is what a successful walk proves.
 */
function allPaths(service: Service): AnswerPath[] {
  const tree = service.decisionTree;
  if (tree === undefined) return [];
  const questions = byId(tree.questions);
  const paths: AnswerPath[] = [];

  const choices = (q: SituationQuestion): string[][] => {
    const ids = q.options.map((o) => o.id);
    const picks =
      q.kind === 'single'
        ? ids.map((id) => [id])
        : Array.from({ length: 2 ** ids.length - 1 }, (_, mask) => ids.filter((_, i) => ((mask + 1) >> i) & 1));
    return q.required ? picks : [...picks, []];
  };

  const walk = (step: NextStep | undefined, answers: Record<string, string[]>, onPath: string[]): void => {
    if (step === undefined) throw new Error(`${service.id}: dead end after ${onPath.join(' → ')}`);
    if (step.type === 'situation') {
      paths.push({ answers, questionIds: onPath, situationId: step.situationId });
      return;
    }
    if (onPath.includes(step.questionId)) throw new Error(`${service.id}: cycle at ${step.questionId}`);
    const question = questions.get(step.questionId);
    if (question === undefined) throw new Error(`${service.id}: unknown question ${step.questionId}`);
    for (const pick of choices(question)) {
      walk(nextStepAfter(question, pick), { ...answers, [question.id]: pick }, [...onPath, question.id]);
    }
  };
  walk({ type: 'question', questionId: tree.rootQuestionId }, {}, []);
  return paths;
}

describe('demo hall: every entity is valid data', () => {
  it('parses with the domain schemas without needing defaults', () => {
    expect(HallSchema.parse(hall)).toEqual(hall);
    expect(CallingRulesSchema.parse(callingRules)).toEqual(callingRules);
    for (const d of departments) expect(DepartmentSchema.parse(d)).toEqual(d);
    for (const q of queues) expect(QueueSchema.parse(q)).toEqual(q);
    for (const c of counters) expect(CounterSchema.parse(c)).toEqual(c);
    for (const s of services) expect(ServiceSchema.parse(s)).toEqual(s);
    for (const f of forms) expect(FormSchemaSchema.parse(f)).toEqual(f);
    for (const { demoPassword, ...account } of staff) {
      expect(StaffSchema.parse(account)).toEqual(account);
      expect(demoPassword.length).toBeGreaterThanOrEqual(8);
    }
  });

  it('uses unique ids, codes, logins, prefixes and counter numbers', () => {
    const lists: Record<string, string[]> = {
      departments: departments.map((d) => d.id),
      queues: queues.map((q) => q.id),
      queuePrefixes: queues.map((q) => q.prefix),
      counters: counters.map((c) => c.id),
      counterNumbers: counters.map((c) => c.number),
      staff: staff.map((s) => s.id),
      logins: staff.map((s) => s.login),
      staffNumbers: staff.map((s) => s.staffNumber),
      services: services.map((s) => s.id),
      serviceCodes: services.map((s) => s.code),
      forms: forms.map((f) => f.id),
      materials: services.flatMap((s) => s.materials.map((m) => m.id)),
      treeNodes: services.flatMap((s) => [
        ...(s.decisionTree?.questions.map((q) => q.id) ?? []),
        ...(s.decisionTree?.situations.map((x) => x.id) ?? []),
      ]),
      options: services.flatMap((s) => s.decisionTree?.questions.flatMap((q) => q.options.map((o) => o.id)) ?? []),
      formSections: forms.flatMap((f) => f.sections.map((s) => `${f.id}/${s.id}`)),
      formFields: forms.flatMap((f) => f.sections.flatMap((s) => s.fields.map((x) => `${f.id}/${x.id}`))),
      choiceValues: forms.flatMap((f) =>
        f.sections.flatMap((s) => s.fields.flatMap((x) => (x.options ?? []).map((o) => `${f.id}/${x.id}/${o.value}`))),
      ),
    };
    for (const [name, values] of Object.entries(lists)) expect(duplicates(values), name).toEqual([]);
  });

  it('resolves every reference', () => {
    const departmentIds = new Set(departments.map((d) => d.id));
    const queueById = byId(queues);
    const serviceById = byId(services);
    const formIds = new Set(forms.map((f) => f.id));
    const missing: string[] = [];
    const need = (ok: boolean, what: string): void => {
      if (!ok) missing.push(what);
    };

    for (const d of departments) need(d.hallId === hall.id, `department ${d.id} hall`);
    for (const q of queues) {
      need(q.hallId === hall.id, `queue ${q.id} hall`);
      for (const id of q.serviceIds) need(serviceById.has(id), `queue ${q.id} service ${id}`);
    }
    for (const c of counters) {
      need(c.hallId === hall.id, `counter ${c.id} hall`);
      if (c.departmentId !== undefined) need(departmentIds.has(c.departmentId), `counter ${c.id} department`);
      for (const id of c.queueIds) need(queueById.has(id), `counter ${c.id} queue ${id}`);
      for (const { serviceId } of c.services) {
        need(serviceById.has(serviceId), `counter ${c.id} service ${serviceId}`);
        // A counter can only be handed a ticket for a service through one of its queues.
        need(
          c.queueIds.some((q) => queueById.get(q)?.serviceIds.includes(serviceId)),
          `counter ${c.id} serves ${serviceId} through none of its queues`,
        );
      }
    }
    for (const s of staff) {
      need(s.hallId === null || s.hallId === hall.id, `staff ${s.id} hall`);
      if (s.departmentId !== undefined) need(departmentIds.has(s.departmentId), `staff ${s.id} department`);
    }
    for (const s of services) {
      need(departmentIds.has(s.departmentId), `service ${s.id} department`);
      need(queueById.get(s.queueId)?.serviceIds.includes(s.id) === true, `service ${s.id} queue ${s.queueId}`);
      if (s.formId !== undefined) need(formIds.has(s.formId), `service ${s.id} form ${s.formId}`);
      const materialIds = new Set(s.materials.map((m) => m.id));
      for (const m of s.materials) {
        if (m.blankFormRef !== undefined) need(formIds.has(m.blankFormRef), `material ${m.id} blank form`);
      }
      for (const x of s.decisionTree?.situations ?? []) {
        if (x.formId !== undefined) need(formIds.has(x.formId), `situation ${x.id} form ${x.formId}`);
        for (const id of x.materialIds) need(materialIds.has(id), `situation ${x.id} material ${id}`);
      }
      for (const q of s.decisionTree?.questions ?? []) {
        for (const o of q.options) {
          for (const id of o.addMaterialIds) need(materialIds.has(id), `option ${o.id} material ${id}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('keeps personal data of real people out: no ID numbers or mobile numbers anywhere', () => {
    const text = JSON.stringify(demoHall);
    expect(text.match(/\d{17}[\dXx]/g)).toBeNull();
    expect(text.match(/1[3-9]\d{9}/g)).toBeNull();
  });
});

describe('demo hall: layout', () => {
  it('has three departments, the service queues plus a pickup queue, six counters', () => {
    expect(departments.map((d) => d.name.zh)).toEqual(['户政', '出入境', '车驾管']);
    expect(queues.filter((q) => q.kinds.includes('walk_in'))).toHaveLength(3);
    expect(queues.find((q) => q.kinds.includes('pickup'))?.kinds).toEqual(['pickup']);
    expect(queues.filter((q) => q.kinds.includes('consultation'))).toHaveLength(3);
    expect(queues.map((q) => q.consultationPrefix).filter(Boolean)).toEqual(['Z', 'Y', 'X']);
    expect(clashingPrefixes(queues)).toEqual([]);
    expect(counters).toHaveLength(6);
    expect(counters.filter((c) => c.kind === 'general')).toHaveLength(1);
    expect(counters.filter((c) => c.kind === 'delivery')).toHaveLength(1);
  });

  it('lets some counter call every queue, and some non-delivery counter serve every service', () => {
    for (const q of queues) expect(counters.some((c) => c.queueIds.includes(q.id)), q.id).toBe(true);
    const served = new Set(counters.filter((c) => c.kind !== 'delivery').flatMap((c) => c.services.map((s) => s.serviceId)));
    expect(services.filter((s) => !served.has(s.id)).map((s) => s.id)).toEqual([]);
    const general = counters.find((c) => c.kind === 'general');
    expect(general?.services.map((s) => s.serviceId).sort()).toEqual(services.map((s) => s.id).sort());
  });

  it('gives specialised counters different priorities', () => {
    for (const c of counters.filter((x) => x.kind === 'service' && x.services.length > 3)) {
      expect(new Set(c.services.map((s) => s.priority)).size, c.id).toBeGreaterThan(1);
    }
  });

  it('has a clerk per counter and one of each management role', () => {
    expect(staff.filter((s) => s.roles.includes('clerk')).length).toBeGreaterThanOrEqual(counters.length);
    for (const role of ['supervisor', 'hall_manager', 'city_admin'] as const) {
      expect(staff.filter((s) => s.roles.includes(role)), role).toHaveLength(1);
    }
    expect(staff.find((s) => s.roles.includes('city_admin'))?.hallId).toBeNull();
  });

  it('calls priority groups within the fairness ratio and recall limits the seed asks for', () => {
    expect(callingRules.priorityGroups.find((g) => g.minAge !== undefined)?.minAge).toBe(60);
    expect(callingRules.priorityGroups.map((g) => g.id)).toEqual(
      expect.arrayContaining(['priority.elderly', 'priority.disabled', 'priority.military']),
    );
    expect(callingRules.normalPerPriority).toBe(2);
    expect(callingRules.maxRecalls).toBe(3);
    expect(callingRules.callCountdownSeconds).toBe(60);
  });
});

describe('demo hall: catalogue', () => {
  it('has at least 12 services spread over the three departments', () => {
    expect(services.length).toBeGreaterThanOrEqual(12);
    for (const d of departments) {
      expect(services.filter((s) => s.departmentId === d.id).length, d.name.zh).toBeGreaterThanOrEqual(3);
    }
  });

  it('gives every service a complete guide and materials with a review point', () => {
    for (const s of services) {
      expect(s.guide.processSteps.length, s.id).toBeGreaterThan(0);
      expect(s.guide.promisedDays, s.id).toBeLessThanOrEqual(s.guide.statutoryDays);
      if (!s.guide.fees.free) expect(s.guide.fees.description, s.id).toMatch(/\d+元/);
      for (const m of s.materials) expect(m.reviewPoints.length + (m.note ? 1 : 0), m.id).toBeGreaterThan(0);
    }
    const passport = services.find((s) => s.id === 'passport');
    expect(passport?.guide.fees.description).toContain('120元');
  });

  it('finds services by pinyin initials and synonyms', () => {
    for (const s of services) expect(s.keywords.some((k) => /^[a-z]{2,}$/.test(k)), s.id).toBe(true);
    expect(searchServices(services, 'hjzm')[0]?.service.name.zh).toBe('户籍证明');
    expect(searchServices(services, '户口证明')[0]?.service.name.zh).toBe('户籍证明');
    expect(searchServices(services, '过户')[0]?.service.name.zh).toBe('机动车转移登记');
  });

  it('caps a few services per day', () => {
    expect(services.filter((s) => s.dailyCap !== undefined).length).toBeGreaterThanOrEqual(3);
  });
});

describe('demo hall: decision trees', () => {
  const withTrees = services.filter((s) => s.decisionTree !== undefined);

  it('passes the shared static tree validator', () => {
    for (const s of withTrees) expect(validateDecisionTree(s).map(describeTreeDefect), s.id).toEqual([]);
  });

  it('ends every path in a situation the evaluator reaches with no errors', () => {
    for (const s of withTrees) {
      const paths = allPaths(s);
      expect(paths.length, s.id).toBeGreaterThan(0);
      const reached = new Set(paths.map((p) => p.situationId));
      expect([...reached].sort(), s.id).toEqual(s.decisionTree?.situations.map((x) => x.id).sort());
      for (const p of paths) {
        const result = evaluateDecisionTree(s, p.answers, { mode: 'final' });
        expect(result.errors, `${s.id} ${JSON.stringify(p.answers)}`).toEqual([]);
        expect(result.outcome.type === 'situation' && result.outcome.situation.id).toBe(p.situationId);
        expect(result.materials.length).toBeGreaterThan(0);
      }
    }
  });

  it('has at least three trees at least three questions deep', () => {
    const deep = withTrees.filter((s) => Math.max(...allPaths(s).map((p) => p.questionIds.length)) >= 3);
    expect(deep.map((s) => s.id)).toEqual(
      expect.arrayContaining(['household-transfer-in', 'id-card-renewal', 'birth-registration']),
    );
  });

  it('mixes single and multi choice, required and optional questions, and answers that add materials', () => {
    const questions = withTrees.flatMap((s) => s.decisionTree?.questions ?? []);
    expect(questions.some((q) => q.kind === 'multi')).toBe(true);
    expect(questions.some((q) => q.kind === 'single' && !q.required)).toBe(true);
    expect(questions.some((q) => q.options.some((o) => o.addMaterialIds.length > 0))).toBe(true);
  });

  it('adds the guardian for a minor renewing an ID card away from home', () => {
    const renewal = services.find((s) => s.id === 'id-card-renewal');
    if (renewal === undefined) throw new Error('id-card-renewal missing');
    const result = evaluateDecisionTree(
      renewal,
      {
        'id-card-renewal.q.extras': ['id-card-renewal.q.extras.temporary'],
        'id-card-renewal.q.reason': ['id-card-renewal.q.reason.expired'],
        'id-card-renewal.q.residence': ['id-card-renewal.q.residence.other'],
        'id-card-renewal.q.ageRemote': ['id-card-renewal.q.ageRemote.minor'],
      },
      { mode: 'final' },
    );
    expect(result.outcome.type === 'situation' && result.outcome.situation.id).toBe('id-card-renewal.s.remoteMinor');
    expect(result.materials.map((m) => m.id)).toEqual(
      expect.arrayContaining(['id-card-renewal.m.guardian', 'id-card-renewal.m.temporary', 'id-card-renewal.m.oldCard']),
    );
    expect(result.formId).toBe('form.id-card');
  });
});

describe('demo hall: forms', () => {
  const fields = forms.flatMap((f) => f.sections.flatMap((s) => s.fields));

  it('covers at least four services with forms using every field kind', () => {
    const used = new Set(services.flatMap((s) => [s.formId, ...(s.decisionTree?.situations.map((x) => x.formId) ?? [])]));
    expect(forms.filter((f) => used.has(f.id)).length).toBeGreaterThanOrEqual(4);
    expect(new Set(fields.map((f) => f.kind))).toEqual(
      new Set(['text', 'number', 'date', 'choice', 'id_number', 'phone', 'address']),
    );
  });

  it('autofills from the ID card, the residence code and history', () => {
    const sources = new Set(fields.flatMap((f) => f.autofill));
    for (const source of ['idcard.name', 'idcard.idNumber', 'idcard.address', 'residenceCode.phone', 'history'] as const) {
      expect(sources.has(source), source).toBe(true);
    }
  });

  it('limits and protects every field', () => {
    for (const f of fields) {
      if (f.kind === 'text' || f.kind === 'address') expect(f.maxLength, f.id).toBeDefined();
      if (f.kind === 'number') expect(f.min !== undefined && f.max !== undefined, f.id).toBe(true);
      if (f.kind === 'date') expect(f.minDaysFromToday !== undefined && f.maxDaysFromToday !== undefined, f.id).toBe(true);
      if (f.kind === 'choice') expect(f.options?.length, f.id).toBeGreaterThan(1);
      if (f.kind === 'id_number' || f.kind === 'phone' || f.kind === 'address') expect(f.personal, f.id).toBe(true);
    }
  });
});
