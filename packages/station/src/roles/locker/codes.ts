import { verifyCode, type CodeKind, type VerifyResult } from '@hall/shared';
import { ed25519Check } from './crypto';
import type { KeyCache, NonceLedger } from './keys';

/** Checks a scanned code offline against the cached key set; each nonce is spent once. */
export class CodeChecker {
  constructor(
    private readonly keys: KeyCache,
    private readonly nonces: NonceLedger,
    private readonly hallId: string,
    private readonly now: () => number,
  ) {}

  /** True when a key set is cached and usable now: without one no code can be verified. */
  haveKeys(): boolean {
    return Boolean(this.keys.current(this.now())?.keys.length);
  }

  verify<K extends CodeKind>(text: string, expect: K): VerifyResult<K> {
    const nowMs = this.now();
    const keySet = this.keys.current(nowMs);
    if (!keySet || keySet.keys.length === 0) {
      // Without keys nothing can be verified; say so rather than "unknown issuer".
      return { ok: false, reason: 'unknown_key' };
    }
    return verifyCode(text, {
      keySet,
      nowMs,
      expect,
      checkSignature: ed25519Check,
      hallId: this.hallId,
      claimNonce: (nonce, expiresAtMs) => this.nonces.claim(nonce, expiresAtMs, nowMs),
    });
  }
}
