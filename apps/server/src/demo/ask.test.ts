import { describe, expect, it } from 'vitest';
import { answersForSituation, ask, buildAskIndex, evaluateDecisionTree, measureAsk } from '@hall/shared';
import fixture from './askQuestions.json' with { type: 'json' };
import { demoServices } from './services/index';

describe('ask in your own words (demo hall)', () => {
  it('puts the right service and situation in the top 3 for at least 90 % of the 50 citizen questions', () => {
    expect(fixture.questions).toHaveLength(50);
    const quality = measureAsk(demoServices, fixture.questions);
    expect(quality.misses.length, JSON.stringify(quality.misses)).toBeLessThanOrEqual(5);
    expect(quality.hitAt3).toBeGreaterThanOrEqual(0.9);
  });

  it('answers 孩子出生了怎么上户口 with birth registration, born in wedlock, first', () => {
    const [first] = ask(buildAskIndex(demoServices), '孩子出生了怎么上户口');
    expect(first).toMatchObject({ serviceId: 'birth-registration', situationId: 'birth-registration.s.married' });
  });

  it('tells sibling situations apart by their own words even when the service shares them', () => {
    const index = buildAskIndex(demoServices);
    expect(ask(index, '护照丢了')[0]?.situationId).toBe('passport.s.replace');
    expect(ask(index, '外地人身份证丢了')[0]?.situationId).toBe('id-card-replacement.s.remote');
  });

  it('finds services by pinyin initials typed on the Latin keys, and nothing for an unrelated question', () => {
    const index = buildAskIndex(demoServices);
    expect(ask(index, 'csdj')[0]?.serviceId).toBe('birth-registration');
    expect(ask(index, '今天天气')).toEqual([]);
  });

  it('every expected situation is reachable: the answers it implies walk the tree to it', () => {
    for (const e of fixture.questions) {
      const service = demoServices.find((s) => s.id === e.serviceId);
      expect(service, e.serviceId).toBeDefined();
      if (!service || !e.situationId) continue;
      const answers = answersForSituation(service, e.situationId);
      expect(answers, e.situationId).toBeDefined();
      // Questions that do not decide the situation (who applies, optional extras) are answered with their first option.
      const filled = { ...answers };
      for (let guard = 0; guard < 10; guard++) {
        const outcome = evaluateDecisionTree(service, filled).outcome;
        if (outcome.type !== 'question') break;
        filled[outcome.question.id] = outcome.question.options[0] ? [outcome.question.options[0].id] : [];
      }
      const outcome = evaluateDecisionTree(service, filled).outcome;
      expect(outcome.type === 'situation' ? outcome.situation.id : outcome.type).toBe(e.situationId);
    }
  });
});
