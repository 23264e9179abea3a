// Hit rate of the kiosk's "ask in your own words" box on the demo hall's 50 citizen questions.
import { measureAsk } from '@hall/shared';
import { demoServices } from '../apps/server/src/demo/services/index';
import fixture from '../apps/server/src/demo/askQuestions.json' with { type: 'json' };

export async function runBenchmark(): Promise<Record<string, number | string | boolean>> {
  const quality = measureAsk(demoServices, fixture.questions);
  return {
    questions: quality.questions,
    hitAt1: Number(quality.hitAt1.toFixed(3)),
    hitAt3: Number(quality.hitAt3.toFixed(3)),
    // A JSON list in one field: the runner prints flat figures.
    misses: JSON.stringify(quality.misses),
  };
}
