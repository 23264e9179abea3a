import { randomInt } from 'node:crypto';

/** Mod-10 check digit (Luhn) over the code's first seven digits: catches one mistyped digit. */
export function luhnDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** 存件码 "D" + 7 random digits + check digit (format in the station API contract). */
export function newDepositCode(random: (max: number) => number = randomInt): string {
  let body = '';
  for (let i = 0; i < 7; i++) body += String(random(10));
  return `D${body}${luhnDigit(body)}`;
}

export function isDepositCode(code: string): boolean {
  const match = /^D(\d{7})(\d)$/.exec(code);
  return match !== null && luhnDigit(match[1] ?? '') === Number(match[2]);
}
