import type { AnnouncementKind, AnnouncementLanguage } from '@hall/shared';

/**
 * A spoken call is a sequence of clip tokens, each generated once ahead of time: the
 * fixed phrases, letters, digits and the numerals of counter numbers. Ticket numbers are
 * read digit by digit (A023 → A 零 二 三), as halls do; counter numbers as numbers
 * (12 → 十二号窗口), so the two are never confused.
 */
export interface ClipToken {
  language: AnnouncementLanguage;
  /** What espeak-ng is asked to say. */
  text: string;
}

const ZH_DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'] as const;
const EN_DIGITS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'] as const;
const LETTERS = Array.from({ length: 26 }, (_, i) => String.fromCharCode(65 + i));

export const ZH_PHRASES = ['请', '号', '再次', '到', '号窗口', '办理', '十'] as const;
export const EN_PHRASES = ['ticket', 'calling again', 'please go to counter'] as const;

function zhDigit(d: string): string {
  return ZH_DIGITS[Number(d)] ?? d;
}

function enDigit(d: string): string {
  return EN_DIGITS[Number(d)] ?? d;
}

/** 1…99 as Mandarin numerals (十二, 二十, 二十一); longer digit runs digit by digit. */
function zhNumber(run: string): string[] {
  const n = Number(run);
  if (run.length > 2 || run.startsWith('0') || n === 0) return Array.from(run, zhDigit);
  if (n < 10) return [zhDigit(run)];
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return [...(tens === 1 ? [] : [zhDigit(String(tens))]), '十', ...(ones === 0 ? [] : [zhDigit(String(ones))])];
}

function spell(value: string, language: AnnouncementLanguage, digitRun: (run: string) => string[]): string[] {
  const out: string[] = [];
  for (const part of value.toUpperCase().match(/\d+|[A-Z]|./gu) ?? []) {
    if (/^\d+$/.test(part)) out.push(...digitRun(part));
    else if (/^[A-Z]$/.test(part)) out.push(part);
    else if (language === 'zh' && part.trim() !== '') out.push(part);
  }
  return out;
}

export interface SpokenCall {
  ticketNumber: string;
  counterNumber: string;
  kind: AnnouncementKind;
}

/** 请 A 零 二 三 号 [再次] 到 三 号窗口 办理 */
export function zhTokens(call: SpokenCall): string[] {
  return [
    '请',
    ...spell(call.ticketNumber, 'zh', (run) => Array.from(run, zhDigit)),
    '号',
    ...(call.kind === 'recall' ? ['再次'] : []),
    '到',
    ...spell(call.counterNumber, 'zh', zhNumber),
    '号窗口',
    '办理',
  ];
}

/** ticket A zero two three [calling again] please go to counter three */
export function enTokens(call: SpokenCall): string[] {
  const digits = (run: string) => Array.from(run, enDigit);
  return [
    'ticket',
    ...spell(call.ticketNumber, 'en', digits),
    ...(call.kind === 'recall' ? ['calling again'] : []),
    'please go to counter',
    ...spell(call.counterNumber, 'en', (run) => (run.length <= 2 && !run.startsWith('0') ? [String(Number(run))] : digits(run))),
  ];
}

/**
 * Every token the hall's calls can need: the fixed phrases, digits and letters, and the
 * spoken forms of the hall's counter numbers (十二, "twelve").
 */
export function allTokens(languages: readonly AnnouncementLanguage[], counterNumbers: readonly string[] = []): ClipToken[] {
  const seen = new Set<string>();
  const tokens: ClipToken[] = [];
  const add = (language: AnnouncementLanguage, text: string) => {
    const key = `${language}:${text}`;
    if (seen.has(key)) return;
    seen.add(key);
    tokens.push({ language, text });
  };
  const sample = (counterNumber: string): SpokenCall => ({ ticketNumber: 'A0', counterNumber, kind: 'recall' });
  if (languages.includes('zh')) {
    for (const text of [...ZH_PHRASES, ...ZH_DIGITS, ...LETTERS]) add('zh', text);
    for (const n of counterNumbers) for (const text of zhTokens(sample(n))) add('zh', text);
  }
  if (languages.includes('en')) {
    for (const text of [...EN_PHRASES, ...EN_DIGITS, ...LETTERS]) add('en', text);
    for (const n of counterNumbers) for (const text of enTokens(sample(n))) add('en', text);
  }
  return tokens;
}

export function tokensFor(call: SpokenCall, language: AnnouncementLanguage): ClipToken[] {
  return (language === 'zh' ? zhTokens(call) : enTokens(call)).map((text) => ({ language, text }));
}
