/** Characters of Han script and the middle dots used inside transcribed minority names. */
const HAN = /\p{Script=Han}/u;
const NAME_DOTS = /[·•・.]/;

/**
 * Masks a person's name for screens and slips: 张三 → 张*, 张三丰 → 张*丰, 欧阳娜娜 → 欧**娜.
 * Latin names keep the first letter of each word: "John Smith" → "J*** S****".
 */
export function maskName(name: string): string {
  const trimmed = name.trim();
  const chars = Array.from(trimmed);
  if (chars.length === 0) return '';
  if (chars.some((c) => HAN.test(c))) return maskHanName(chars);
  return trimmed
    .split(/(\s+|-)/)
    .map((part) => (/^(\s+|-)$/.test(part) ? part : maskWord(Array.from(part))))
    .join('');
}

function maskHanName(chars: string[]): string {
  if (chars.length === 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  const last = chars.length - 1;
  // Dots in 买买提·艾力 stay, so the masked name still looks like a name.
  return chars.map((c, i) => (i === 0 || i === last || NAME_DOTS.test(c) ? c : '*')).join('');
}

function maskWord(chars: string[]): string {
  if (chars.length === 0) return '';
  return chars[0] + '*'.repeat(chars.length - 1);
}

/** Keeps `head` and `tail` characters, stars the rest; short values are starred entirely. */
function maskMiddle(value: string, head: number, tail: number): string {
  const chars = Array.from(value);
  if (chars.length <= head + tail) return '*'.repeat(chars.length);
  return chars.slice(0, head).join('') + '*'.repeat(chars.length - head - tail) + chars.slice(chars.length - tail).join('');
}

/** 440102199001011234 → 4401**********1234 (also 15-digit legacy numbers and other documents). */
export function maskIdNumber(idNumber: string): string {
  const compact = idNumber.replace(/\s+/g, '').toUpperCase();
  if (compact.length >= 12) return maskMiddle(compact, 4, 4);
  // Passports and permits are short; keeping 4+4 would show most of them.
  return maskMiddle(compact, 2, 2);
}

/** 13812345678 → 138****5678; landlines keep their area code and last four digits. */
export function maskPhone(phone: string): string {
  const compact = phone.replace(/[\s()]/g, '');
  const mobile = /^(\+?86)?(1\d{10})$/.exec(compact);
  if (mobile?.[2] !== undefined) return maskMiddle(mobile[2], 3, 4);
  const landline = /^(0\d{2,3})-?(\d{7,8})$/.exec(compact);
  if (landline?.[1] !== undefined && landline[2] !== undefined) {
    return `${landline[1]}-${maskMiddle(landline[2], 0, 4)}`;
  }
  return maskMiddle(compact, 0, 4);
}
