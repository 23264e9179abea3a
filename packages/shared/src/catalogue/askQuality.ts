import type { Service } from '../domain/catalogue';
import { ask, buildAskIndex } from './ask';

/** One citizen question with the (service, situation) it should lead to. */
export interface AskExpectation {
  question: string;
  serviceId: string;
  situationId?: string;
}

export interface AskQuality {
  questions: number;
  hitAt1: number;
  hitAt3: number;
  /** Questions whose expected answer is not in the top 3, with what came instead. */
  misses: { question: string; expected: string; got: string[] }[];
}

const key = (hit: { serviceId: string; situationId?: string }) => (hit.situationId ?? hit.serviceId);

/** Hit rates of the ask box on a question set: the gate's test and the benchmark report the same figures. */
export function measureAsk(services: readonly Service[], expectations: readonly AskExpectation[]): AskQuality {
  const index = buildAskIndex(services);
  let top1 = 0;
  let top3 = 0;
  const misses: AskQuality['misses'] = [];
  for (const e of expectations) {
    const got = ask(index, e.question, 3).map(key);
    const want = key(e);
    if (got[0] === want) top1++;
    if (got.includes(want)) top3++;
    else misses.push({ question: e.question, expected: want, got });
  }
  const n = Math.max(1, expectations.length);
  return { questions: expectations.length, hitAt1: top1 / n, hitAt3: top3 / n, misses };
}
