import rawIndex from './pinyinIndex.json';

/** Toneless syllable ("zhang", "lv" for lǚ) → its characters, most likely first. */
const INDEX: Readonly<Record<string, string>> = rawIndex;
const SYLLABLES = Object.keys(INDEX);
const LONGEST = Math.max(...SYLLABLES.map((s) => s.length));

export function isSyllable(text: string): boolean {
  return Object.prototype.hasOwnProperty.call(INDEX, text);
}

/**
 * Splits typed letters into syllables, longest first with backtracking ("xian" stays one
 * syllable, "zhangsan" → zhang san). A trailing fragment that only starts a syllable
 * ("zh") is kept as the last element so candidates can be offered while typing.
 */
export function segmentPinyin(input: string): string[] {
  const text = input.toLowerCase().replace(/[^a-z]/g, '');
  const solve = (from: number): string[] | undefined => {
    if (from === text.length) return [];
    for (let len = Math.min(LONGEST, text.length - from); len >= 1; len--) {
      const piece = text.slice(from, from + len);
      if (!isSyllable(piece)) continue;
      const rest = solve(from + len);
      if (rest) return [piece, ...rest];
    }
    const tail = text.slice(from);
    return SYLLABLES.some((s) => s.startsWith(tail)) ? [tail] : undefined;
  };
  return solve(0) ?? [text];
}

export interface PinyinCandidates {
  /** Letters of the input the candidates stand for (the first syllable or fragment). */
  consumed: number;
  candidates: string[];
}

/** Characters for the first syllable of the typed letters; a fragment offers every syllable it starts. */
export function pinyinCandidates(input: string, limit = 40): PinyinCandidates {
  const [first] = segmentPinyin(input);
  if (!first) return { consumed: 0, candidates: [] };
  const exact = INDEX[first] ?? '';
  const seen = new Set<string>();
  const out: string[] = [];
  const add = (chars: string) => {
    for (const char of chars) {
      if (out.length >= limit) return;
      if (!seen.has(char)) {
        seen.add(char);
        out.push(char);
      }
    }
  };
  add(exact);
  if (out.length < limit) {
    // A fragment ("zh") or a short syllable ("x"): add the characters of longer syllables.
    for (const syllable of SYLLABLES) if (syllable !== first && syllable.startsWith(first)) add((INDEX[syllable] ?? '').slice(0, 4));
  }
  return { consumed: first.length, candidates: out };
}
