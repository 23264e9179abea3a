import type { NextStep, Service, Situation } from '../domain/catalogue';
import { nextStepAfter, possibleNextSteps } from './decisionTree';

/**
 * "Ask in your own words": a citizen's free-text question (孩子出生了怎么上户口) ranked
 * against every (service, situation) of the catalogue.
 *
 * Words come from the platform's ICU word segmenter (Intl.Segmenter, dictionary based for
 * Chinese, the same in Node and Chromium, nothing to download), and because a segmenter
 * splits colloquial text unevenly (身份|证|丢|了) every run of meaningful words also gives
 * its character pairs and, weakly, its single characters. A term scores its rarity across
 * services times the weight of the best field it appears in, so the service's own name
 * and the citizens' words written into the catalogue (keywords) count most, materials least.
 * Pure and small: it runs in the kiosk renderer, offline, and in the benchmark.
 */

export interface AskHit {
  serviceId: string;
  /** Absent for a service without 情形问答. */
  situationId?: string;
  score: number;
}

interface AskDoc {
  serviceId: string;
  situationId?: string;
  /** term → best field weight for this document */
  terms: Map<string, number>;
}

export interface AskIndex {
  docs: AskDoc[];
  /** term → inverse service frequency */
  idf: Map<string, number>;
  /** Latin keywords and codes (pinyin initials such as "csdj") per service. */
  latin: Map<string, string[]>;
}

const FIELD = {
  serviceName: 3,
  serviceKeyword: 2.5,
  situationKeyword: 2.5,
  situationName: 2,
  pathLabel: 1.5,
  theme: 1,
  material: 0.5,
} as const;

/** Added for a term in a situation's own name or keywords, on top of its best field. */
const SITUATION_BONUS = 0.5;

/** How much a term of each kind counts: a whole word or pair means more than one character. */
const KIND = { word: 1, pair: 1, char: 0.25 } as const;
type TermKind = keyof typeof KIND;

/** Words that carry no matter: question words, fillers, "handle/need". */
const STOPWORDS = new Set([
  '我', '我们', '你', '您', '他', '她', '的', '了', '吗', '呢', '吧', '啊', '呀', '是', '在', '要', '想', '想要', '需要', '能', '能不能', '可以', '可不可以',
  '怎么', '怎么办', '怎么样', '怎样', '如何', '什么', '哪些', '哪里', '哪儿', '去哪', '在哪', '到哪', '多久', '多少', '几天', '为什么', '请问', '一下', '一个', '这个', '那个',
  '办', '办理', '办事', '手续', '流程', '还', '也', '就', '和', '跟', '给', '让', '被', '把', '有', '没有', '没', '该', '应该', '得', '带', '准备', '现在', '刚', '刚刚',
  '我想', '我要', '帮', '帮忙', '咨询', '问', '问问', '？', '?', '，', ',', '。',
]);

const CJK = /\p{Script=Han}/u;
const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

/** Terms of a text with their kind; shared by the index and the question so both split alike. */
export function askTerms(text: string): Map<string, TermKind> {
  const terms = new Map<string, TermKind>();
  const add = (term: string, kind: TermKind) => {
    const known = terms.get(term);
    if (known === undefined || KIND[kind] > KIND[known]) terms.set(term, kind);
  };
  const folded = text.normalize('NFKC').toLowerCase();
  let run = '';
  const flush = () => {
    const chars = [...run];
    for (let i = 0; i + 1 < chars.length; i++) add(`${chars[i]}${chars[i + 1]}`, 'pair');
    for (const char of chars) add(char, 'char');
    run = '';
  };
  for (const { segment, isWordLike } of segmenter.segment(folded)) {
    if (!isWordLike || STOPWORDS.has(segment)) {
      flush();
      continue;
    }
    if (!CJK.test(segment)) {
      flush();
      if (segment.length >= 2) add(segment, 'word');
      continue;
    }
    if ([...segment].length >= 2) add(segment, 'word');
    run += segment;
  }
  flush();
  return terms;
}

/** The answers that walk a service's tree to one situation; questions that do not decide it stay unanswered. */
export function answersForSituation(service: Service, situationId: string): Record<string, string[]> | undefined {
  const tree = service.decisionTree;
  if (!tree) return undefined;
  const questions = new Map(tree.questions.map((q) => [q.id, q]));
  const walk = (step: NextStep, seen: Set<string>): Record<string, string[]> | undefined => {
    if (step.type === 'situation') return step.situationId === situationId ? {} : undefined;
    const question = questions.get(step.questionId);
    if (!question || seen.has(question.id)) return undefined;
    const inner = new Set(seen).add(question.id);
    const steps = possibleNextSteps(question);
    const decides = new Set(steps.map((s) => (s.type === 'question' ? `q:${s.questionId}` : `s:${s.situationId}`))).size > 1;
    if (!decides) return steps[0] ? walk(steps[0], inner) : undefined;
    for (const option of question.options) {
      const next = nextStepAfter(question, [option.id]);
      const rest = next ? walk(next, inner) : undefined;
      if (rest) return { [question.id]: [option.id], ...rest };
    }
    return undefined;
  };
  return walk({ type: 'question', questionId: tree.rootQuestionId }, new Set());
}

function pathLabels(service: Service, situation: Situation): string[] {
  const answers = answersForSituation(service, situation.id) ?? {};
  return (service.decisionTree?.questions ?? []).flatMap((q) =>
    q.options.filter((o) => answers[q.id]?.includes(o.id)).map((o) => o.label.zh),
  );
}

export function buildAskIndex(services: readonly Service[]): AskIndex {
  const docs: AskDoc[] = [];
  const latin = new Map<string, string[]>();
  const serviceTerms = new Map<string, Set<string>>();
  for (const service of services) {
    latin.set(service.id, [service.code, ...service.keywords].filter((k) => /^[a-z0-9-]+$/i.test(k)).map((k) => k.toLowerCase()));
    const common: [string, number][] = [
      [service.name.zh, FIELD.serviceName],
      ...service.keywords.map((k): [string, number] => [k, FIELD.serviceKeyword]),
      [service.theme, FIELD.theme],
    ];
    const situations: (Situation | undefined)[] = service.decisionTree?.situations ?? [undefined];
    for (const situation of situations) {
      const materialIds = situation ? new Set(situation.materialIds) : undefined;
      const fields: [string, number][] = [
        ...common,
        ...(situation
          ? [
              [situation.name.zh, FIELD.situationName] as [string, number],
              ...(situation.keywords ?? []).map((k): [string, number] => [k, FIELD.situationKeyword]),
              ...pathLabels(service, situation).map((l): [string, number] => [l, FIELD.pathLabel]),
            ]
          : []),
        ...service.materials.filter((m) => !materialIds || materialIds.has(m.id)).map((m): [string, number] => [m.name, FIELD.material]),
      ];
      const terms = new Map<string, number>();
      for (const [text, weight] of fields) {
        for (const term of askTerms(text).keys()) terms.set(term, Math.max(terms.get(term) ?? 0, weight));
      }
      // Words a service's own keywords share with one of its situations ("护照丢了" and
      // 补发's "丢了") must still tell that situation from its siblings.
      const own = new Set((situation ? [situation.name.zh, ...(situation.keywords ?? [])] : []).flatMap((text) => [...askTerms(text).keys()]));
      for (const term of own) terms.set(term, (terms.get(term) ?? 0) + SITUATION_BONUS);
      docs.push({ serviceId: service.id, ...(situation ? { situationId: situation.id } : {}), terms });
      const seen = serviceTerms.get(service.id) ?? new Set<string>();
      for (const term of terms.keys()) seen.add(term);
      serviceTerms.set(service.id, seen);
    }
  }
  // Rarity across services, not situations: a service with twelve situations must not make its own words look common.
  const df = new Map<string, number>();
  for (const terms of serviceTerms.values()) for (const term of terms) df.set(term, (df.get(term) ?? 0) + 1);
  const n = Math.max(1, serviceTerms.size);
  const idf = new Map([...df].map(([term, count]) => [term, Math.log(1 + n / count)]));
  return { docs, idf, latin };
}

/**
 * Ranked (service, situation) answers to a question; ties keep catalogue order, so the
 * first (most common) situation of a service wins when the question does not tell them apart.
 */
export function ask(index: AskIndex, question: string, limit = 6): AskHit[] {
  const terms = askTerms(question);
  const latinTerms = [...terms].filter(([t, kind]) => kind === 'word' && !CJK.test(t)).map(([t]) => t);
  const scored = index.docs.map((doc, order) => {
    let score = 0;
    for (const [term, kind] of terms) {
      const weight = doc.terms.get(term);
      if (weight !== undefined) score += KIND[kind] * weight * (index.idf.get(term) ?? 0);
    }
    // Pinyin initials or a code typed on the Latin keys ("csdj").
    const latin = index.latin.get(doc.serviceId) ?? [];
    for (const t of latinTerms) if (latin.some((k) => k.startsWith(t))) score += FIELD.serviceKeyword * 2;
    return { doc, order, score };
  });
  return scored
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score || a.order - b.order)
    .slice(0, limit)
    .map(({ doc, score }) => ({ serviceId: doc.serviceId, ...(doc.situationId ? { situationId: doc.situationId } : {}), score }));
}
