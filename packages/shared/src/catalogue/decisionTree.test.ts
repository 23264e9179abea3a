import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Service } from '../domain/catalogue';
import { evaluateDecisionTree, pruneAnswers } from './decisionTree';
import { makeTestService } from './testService';

const service = makeTestService();
const materialIds = (s: Service, answers: Record<string, string[]>) =>
  evaluateDecisionTree(s, answers).materials.map((m) => m.id);

describe('evaluateDecisionTree', () => {
  it('asks the root question first and reports how many questions may follow', () => {
    const result = evaluateDecisionTree(service, {});
    expect(result.outcome).toMatchObject({ type: 'question', question: { id: 'q-for' } });
    expect(result.errors).toEqual([]);
    expect(result.progress).toEqual({ answered: 0, remainingAtMost: 2 });
    expect(result.materials).toEqual([]);
  });

  it('follows a single-choice answer to the next question', () => {
    const result = evaluateDecisionTree(service, { 'q-for': ['self'] });
    expect(result.outcome).toMatchObject({ type: 'question', question: { id: 'q-use' } });
    expect(result.progress).toEqual({ answered: 1, remainingAtMost: 1 });
  });

  it('reaches a situation with its materials in service order and its own form', () => {
    const result = evaluateDecisionTree(service, { 'q-for': ['self'], 'q-use': ['abroad'] });
    expect(result.outcome).toMatchObject({ type: 'situation', situation: { id: 's-abroad' } });
    expect(result.materials.map((m) => m.id)).toEqual(['m-id', 'm-abroad']);
    expect(result.formId).toBe('form-abroad');
    expect(result.errors).toEqual([]);
  });

  it('falls back to the question’s next step and the service form', () => {
    const result = evaluateDecisionTree(service, { 'q-for': ['self'], 'q-use': ['other'] });
    expect(result.outcome).toMatchObject({ type: 'situation', situation: { id: 's-self' } });
    expect(result.formId).toBe('form-hjzm');
  });

  it('adds the materials of chosen options once each', () => {
    expect(materialIds(service, { 'q-for': ['relative'], 'q-extra': ['abroad', 'agent'] })).toEqual([
      'm-id',
      'm-hukou',
      'm-relation',
      'm-auth',
      'm-abroad',
    ]);
  });

  it('lets an optional question be skipped with an empty answer', () => {
    const result = evaluateDecisionTree(service, { 'q-for': ['relative'], 'q-extra': [] });
    expect(result.outcome).toMatchObject({ type: 'situation', situation: { id: 's-relative' } });
    expect(result.materials.map((m) => m.id)).toEqual(['m-id', 'm-hukou', 'm-relation']);
  });

  it('rejects an empty answer to a required question', () => {
    const result = evaluateDecisionTree(service, { 'q-for': [] });
    expect(result.outcome).toEqual({ type: 'invalid' });
    expect(result.errors).toEqual([{ code: 'required_unanswered', questionId: 'q-for' }]);
  });

  it('rejects two answers to a single-choice question and unknown options', () => {
    expect(evaluateDecisionTree(service, { 'q-for': ['self', 'relative'] }).errors).toEqual([
      { code: 'too_many_answers', questionId: 'q-for' },
    ]);
    expect(evaluateDecisionTree(service, { 'q-for': ['cousin'] }).errors).toEqual([
      { code: 'unknown_option', questionId: 'q-for', optionId: 'cousin' },
    ]);
  });

  it('flags answers to questions off the path, and unknown question ids', () => {
    const result = evaluateDecisionTree(service, { 'q-for': ['self'], 'q-use': ['other'], 'q-extra': ['agent'], nope: [] });
    expect(result.outcome).toMatchObject({ type: 'situation', situation: { id: 's-self' } });
    expect(result.errors).toEqual([
      { code: 'answer_off_path', questionId: 'q-extra' },
      { code: 'answer_off_path', questionId: 'nope' },
    ]);
  });

  it('in final mode treats a missing optional answer as skipped and a missing required one as an error', () => {
    expect(evaluateDecisionTree(service, { 'q-for': ['relative'] }, { mode: 'final' }).outcome).toMatchObject({
      type: 'situation',
      situation: { id: 's-relative' },
    });
    expect(evaluateDecisionTree(service, { 'q-for': ['self'] }, { mode: 'final' }).errors).toEqual([
      { code: 'required_unanswered', questionId: 'q-use' },
    ]);
  });

  it('stops on a cycle instead of looping', () => {
    const looping = makeTestService();
    const tree = looping.decisionTree!;
    tree.questions[1] = { ...tree.questions[1]!, options: tree.questions[1]!.options.map((o) => ({ ...o, next: { type: 'question', questionId: 'q-for' } })) };
    const result = evaluateDecisionTree(looping, { 'q-for': ['self'], 'q-use': ['other'] });
    expect(result.outcome).toEqual({ type: 'invalid' });
    expect(result.errors).toEqual([{ code: 'cycle', questionId: 'q-for' }]);
  });

  it('gives every material of a service without a tree', () => {
    const plain = makeTestService({ decisionTree: undefined });
    const result = evaluateDecisionTree(plain, {});
    expect(result.outcome).toEqual({ type: 'no_tree' });
    expect(result.materials).toHaveLength(plain.materials.length);
  });

  it('prunes answers left over from an earlier branch', () => {
    expect(pruneAnswers(service, { 'q-for': ['self'], 'q-extra': ['agent'], 'q-use': ['abroad'] })).toEqual({
      'q-for': ['self'],
      'q-use': ['abroad'],
    });
  });

  it('any walk through the tree ends in a situation with unique materials in service order', () => {
    const serviceOrder = service.materials.map((m) => m.id);
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 3, maxLength: 3 }), fc.array(fc.boolean(), { minLength: 2, maxLength: 2 }), (picks, multi) => {
        const answers: Record<string, string[]> = {};
        let result = evaluateDecisionTree(service, answers);
        let steps = 0;
        while (result.outcome.type === 'question') {
          const q = result.outcome.question;
          answers[q.id] = q.kind === 'single' ? [q.options[(picks[steps] ?? 0) % q.options.length]!.id] : q.options.filter((_, i) => multi[i]).map((o) => o.id);
          result = evaluateDecisionTree(service, answers);
          steps++;
          expect(result.progress.answered).toBe(steps);
        }
        expect(result.outcome.type).toBe('situation');
        expect(result.errors).toEqual([]);
        const ids = result.materials.map((m) => m.id);
        expect(new Set(ids).size).toBe(ids.length);
        expect([...ids].sort((a, b) => serviceOrder.indexOf(a) - serviceOrder.indexOf(b))).toEqual(ids);
      }),
    );
  });
});
