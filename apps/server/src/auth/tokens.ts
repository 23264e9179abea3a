import { createHash, randomBytes } from 'node:crypto';

/**
 * Bearer tokens carry their kind as a prefix so the server knows which table to look in;
 * only the SHA-256 of a token is ever stored.
 */
export const TOKEN_PREFIX = { staffSession: 'hs_', device: 'hd_' } as const;
export type TokenKind = keyof typeof TOKEN_PREFIX;

export function newToken(kind: TokenKind): string {
  return TOKEN_PREFIX[kind] + randomBytes(32).toString('base64url');
}

export function tokenKind(token: string): TokenKind | undefined {
  for (const [kind, prefix] of Object.entries(TOKEN_PREFIX) as [TokenKind, string][]) {
    if (token.startsWith(prefix)) return kind;
  }
  return undefined;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
