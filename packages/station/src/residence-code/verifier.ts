import type Database from 'better-sqlite3';
import { verifyCode, type CodeKind, type VerifyResult } from '@hall/shared';
import { KeyCache, NonceLedger } from './keys';
import { ResidenceCodeRepository } from './repository';
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
    const repository = new ResidenceCodeRepository(db);
    repository.ensureTables();
    this.keys = new KeyCache(repository);
    this.#nonces = new NonceLedger(repository);
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
