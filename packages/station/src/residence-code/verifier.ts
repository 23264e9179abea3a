import type Database from 'better-sqlite3';
import { verifyCode, type CodeKind, type VerifyResult } from '@hall/shared';
import { ensureResidenceCodeTables, KeyCache, NonceLedger } from './keys';
import { ed25519Check } from './signature';

/**
 * Offline verification of signed codes at any station: the shared verifier with this
 * station's cached key set and its own replay ledger, both kept in the given database.
 */
export class StationCodeVerifier {
  readonly keys: KeyCache;
  readonly #nonces: NonceLedger;

  constructor(
    db: Database.Database,
    private readonly now: () => number = Date.now,
  ) {
    ensureResidenceCodeTables(db);
    this.keys = new KeyCache(db);
    this.#nonces = new NonceLedger(db);
  }

  verify<K extends CodeKind>(text: unknown, expect: K, hallId?: string): VerifyResult<K> {
    const nowMs = this.now();
    return verifyCode(text, {
      keySet: this.keys.current(nowMs),
      nowMs,
      expect,
      checkSignature: ed25519Check,
      claimNonce: (nonce, expiresAtMs) => this.#nonces.claim(nonce, expiresAtMs, nowMs),
      ...(hallId === undefined ? {} : { hallId }),
    });
  }
}
