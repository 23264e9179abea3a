import { describeTreeDefect, validateDecisionTree, type Service } from '@hall/shared';

/**
 * Cross-references the zod schema cannot express: unique material ids and a decision tree
 * whose every path resolves (the shared validator). A broken tree would strand a citizen
 * half-way through the kiosk, so it is refused at the door.
 */
export function serviceProblems(service: Service): string[] {
  const problems: string[] = [];
  const materialIds = new Set(service.materials.map((m) => m.id));
  if (materialIds.size !== service.materials.length) problems.push('materials: ids must be unique');
  for (const defect of validateDecisionTree(service)) problems.push(`decisionTree: ${describeTreeDefect(defect)}`);
  return problems;
}
