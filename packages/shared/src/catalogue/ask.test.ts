import { describe, expect, it } from 'vitest';
import { answersForSituation, ask, askTerms, buildAskIndex } from './ask';
import { makeTestService } from './testService';

describe('ask', () => {
  it('splits a question into words, character pairs and single characters, dropping question words', () => {
    const terms = askTerms('孩子出生了怎么上户口');
    expect(terms.get('出生')).toBe('word');
    expect(terms.get('户口')).toBe('word');
    expect(terms.get('上户')).toBe('pair');
    expect(terms.has('怎么')).toBe(false);
    expect(terms.has('了')).toBe(false);
  });

  it('gives the answers that walk the tree to a situation, leaving a multi-choice question unanswered', () => {
    const service = makeTestService();
    expect(answersForSituation(service, 's-abroad')).toEqual({ 'q-for': ['self'], 'q-use': ['abroad'] });
    expect(answersForSituation(service, 's-self')).toEqual({ 'q-for': ['self'], 'q-use': ['other'] });
    expect(answersForSituation(service, 's-relative')).toEqual({ 'q-for': ['relative'] });
    expect(answersForSituation(service, 's-unknown')).toBeUndefined();
  });

  it('ranks the situation whose own words the question uses first, and keeps catalogue order on ties', () => {
    const index = buildAskIndex([makeTestService({ keywords: ['开户口证明'] })]);
    expect(ask(index, '出国用的户口证明')[0]?.situationId).toBe('s-abroad');
    // 本人开具 and 为亲属开具 share every word of this question: catalogue order decides.
    const [first, second] = ask(index, '开户口证明');
    expect([first?.situationId, second?.situationId]).toEqual(['s-self', 's-relative']);
    expect(first?.score).toBe(second?.score);
  });
});
