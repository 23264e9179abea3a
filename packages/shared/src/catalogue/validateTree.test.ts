import { describe, expect, it } from 'vitest';
import type { DecisionTree } from '../domain/catalogue';
import { describeTreeDefect, validateDecisionTree } from './validateTree';
import { makeTestService } from './testService';

function withTree(edit: (tree: DecisionTree) => void) {
  const service = makeTestService();
  edit(service.decisionTree!);
  return validateDecisionTree(service);
}

describe('validateDecisionTree', () => {
  it('finds nothing wrong with a sound tree', () => {
    expect(validateDecisionTree(makeTestService())).toEqual([]);
  });

  it('finds unknown steps and the unreachable situation they orphan', () => {
    const defects = withTree((tree) => {
      tree.questions[1]!.options[0]!.next = { type: 'situation', situationId: 's-gone' };
    });
    expect(defects).toEqual([
      { code: 'unknown_step', fromQuestionId: 'q-use', step: { type: 'situation', situationId: 's-gone' } },
      { code: 'unreachable_situation', situationId: 's-abroad' },
    ]);
    expect(defects.map(describeTreeDefect)[0]).toBe('question q-use leads to unknown situation s-gone');
  });

  it('finds unknown materials and duplicate ids', () => {
    const defects = withTree((tree) => {
      tree.situations[0]!.materialIds.push('m-none');
      tree.questions[0]!.options[1]!.addMaterialIds.push('m-also-none');
      tree.situations.push({ ...tree.situations[0]!, materialIds: [] });
    });
    expect(defects).toContainEqual({ code: 'duplicate_id', id: 's-self' });
    expect(defects).toContainEqual({ code: 'unknown_material', where: 's-self', materialId: 'm-none' });
    expect(defects).toContainEqual({ code: 'unknown_material', where: 'q-for/relative', materialId: 'm-also-none' });
  });

  it('finds dead ends: an option with nowhere to go, a multi or optional question without next', () => {
    const defects = withTree((tree) => {
      delete tree.questions[1]!.next;
      delete tree.questions[2]!.next;
    });
    expect(defects).toContainEqual({ code: 'dead_end', questionId: 'q-use', optionId: 'other' });
    expect(defects).toContainEqual({ code: 'dead_end', questionId: 'q-extra' });
    expect(defects).toContainEqual({ code: 'unreachable_situation', situationId: 's-relative' });
  });

  it('finds cycles and unreachable questions', () => {
    const defects = withTree((tree) => {
      tree.questions[2]!.next = { type: 'question', questionId: 'q-for' };
      tree.questions.push({ ...tree.questions[1]!, id: 'q-orphan' });
    });
    expect(defects).toContainEqual({ code: 'cycle', questionIds: ['q-for', 'q-extra', 'q-for'] });
    expect(defects).toContainEqual({ code: 'unreachable_question', questionId: 'q-orphan' });
    expect(defects).toContainEqual({ code: 'unreachable_situation', situationId: 's-relative' });
  });

  it('finds a missing root', () => {
    expect(withTree((tree) => void (tree.rootQuestionId = 'q-nope'))).toContainEqual({
      code: 'missing_root',
      questionId: 'q-nope',
    });
  });
});
