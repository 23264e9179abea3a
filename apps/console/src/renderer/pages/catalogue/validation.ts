import { ServiceSchema, type Service } from '@hall/shared';
import { cleanLines } from './fields';

/** Per-field problems of a draft, keyed by the field's path ("guide.place", "materials.1.name"). */
export type Problems = Map<string, 'required' | 'number' | 'duplicate' | 'invalid'>;

/** The draft as it will be sent: lists without blank lines, so an empty last line is no error. */
export function tidy(service: Service): Service {
  const { guide } = service;
  return {
    ...service,
    guide: { ...guide, conditions: cleanLines(guide.conditions), legalBasis: cleanLines(guide.legalBasis), processSteps: cleanLines(guide.processSteps) },
    materials: service.materials.map((m) => ({ ...m, reviewPoints: cleanLines(m.reviewPoints) })),
  };
}

const NUMBER_FIELD = /^(guide\.(statutoryDays|promisedDays)|dailyCap|materials\.\d+\.(originals|copies))$/;

/** The same schema the server checks with, so the manager sees each problem at its field before saving. */
export function problemsOf(service: Service): Problems {
  const problems: Problems = new Map();
  const parsed = ServiceSchema.safeParse(service);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.map(String).join('.');
      const kind = NUMBER_FIELD.test(path) ? 'number' : issue.code === 'too_small' ? 'required' : 'invalid';
      if (!problems.has(path)) problems.set(path, kind);
    }
  }
  const seen = new Set<string>();
  service.materials.forEach((m, i) => {
    if (seen.has(m.id)) problems.set(`materials.${i}.id`, 'duplicate');
    seen.add(m.id);
  });
  return problems;
}
