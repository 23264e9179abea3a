import { KeySetSchema, liveKeys, mergeKeySets, type KeySet } from '@hall/shared';
import type { ResidenceCodeRepository } from './repository';

/** The cached, rotating key set: survives restarts so verification works offline. */
export class KeyCache {
  #current: KeySet | undefined;

  constructor(private readonly repository: Pick<ResidenceCodeRepository, 'storedKeySet' | 'storeKeySet'>) {
    const stored = repository.storedKeySet();
    const parsed = stored === undefined ? undefined : KeySetSchema.safeParse(JSON.parse(stored));
    this.#current = parsed?.success ? parsed.data : undefined;
  }

  current(nowMs: number): KeySet | undefined {
    return this.#current && { ...this.#current, keys: liveKeys(this.#current, nowMs) };
  }

  /** Until when the cached keys can verify anything (shown so staff see an aging cache). */
  usableUntil(nowMs: number): string | undefined {
    const keys = this.current(nowMs)?.keys ?? [];
    return keys.map((k) => k.verifyUntil).sort().at(-1);
  }

  update(fetched: unknown, nowMs: number): { ok: true } | { ok: false; reason: string } {
    const parsed = KeySetSchema.safeParse(fetched);
    if (!parsed.success) return { ok: false, reason: 'the key set does not match its schema' };
    const merged = mergeKeySets(this.#current, parsed.data, nowMs);
    if (!merged.ok) return merged;
    this.repository.storeKeySet(JSON.stringify(merged.set));
    this.#current = merged.set;
    return { ok: true };
  }
}

/** Seen nonces, kept until their code expires: replay refusal in bounded space. */
export class NonceLedger {
  constructor(private readonly repository: Pick<ResidenceCodeRepository, 'claimNonce'>) {}

  claim(nonce: string, expiresAtMs: number, nowMs: number): boolean {
    return this.repository.claimNonce(nonce, expiresAtMs, nowMs);
  }
}
