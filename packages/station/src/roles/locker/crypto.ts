import { createHash, createHmac, randomInt, timingSafeEqual } from 'node:crypto';

// The signature check moved to the station's residence-code module (shared with the counter).
export { ed25519Check } from '../../residence-code/signature';

export function sha256(...parts: (Uint8Array | string)[]): Buffer {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

export function hmacHex(secret: Buffer, text: string): string {
  return createHmac('sha256', secret).update(text).digest('hex');
}

export function equalHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

export function newPickupCode(): string {
  return String(randomInt(0, 100_000_000)).padStart(8, '0');
}
