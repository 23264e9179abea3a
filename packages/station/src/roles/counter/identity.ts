import { createHmac } from 'node:crypto';
import { normaliseIdNumber } from '@hall/shared';
import type { IdCardRead, IdCardReader } from '@hall/devices';
import { LocalRejection } from '../../store/store';

/** An ID number and name as read or typed at the counter: personal data, memory only. */
export interface CitizenIdentity {
  idNumber: string;
  name?: string;
}

/** How long a card the reader's polling saw still counts as the card on the reader. */
const RECENT_CARD_MS = 60_000;

/**
 * The citizen's identity at the window: the ID-card reader, the city's keyed hash of ID
 * numbers, and the raw number and name per case for this visit only (the locker's deposit
 * code needs them), dropped when the ticket is finished or the clerk signs out.
 */
export class CounterIdentities {
  /** The card the reader saw last (it polls): used once by the next ID-card check, then dropped. */
  private lastCard: { read: IdCardRead; at: number } | undefined;
  private readonly byCase = new Map<string, CitizenIdentity>();

  constructor(
    private readonly reader: IdCardReader | undefined,
    private readonly idHashKey: string,
    private readonly now: () => number,
  ) {
    reader?.on('card', (read) => {
      this.lastCard = { read, at: this.now() };
    });
    reader?.on('removed', () => {
      this.lastCard = undefined;
    });
  }

  /** The card on the counter's reader: one placed in the last minute was already read by the reader's polling. */
  async readIdCard(): Promise<CitizenIdentity> {
    const reader = this.reader;
    if (!reader) throw new LocalRejection('no_reader', 'no ID-card reader is configured at this counter');
    const recent = this.lastCard && this.now() - this.lastCard.at < RECENT_CARD_MS ? this.lastCard.read : undefined;
    this.lastCard = undefined;
    const read = recent ?? (await reader.read());
    if (!read) throw new LocalRejection('no_card', 'no card lies on the reader');
    const doc = read.document as unknown as { idNumber: string; name?: string; chineseName?: string; englishName?: string };
    const name = doc.name ?? doc.chineseName ?? doc.englishName;
    return { idNumber: doc.idNumber, ...(name ? { name } : {}) };
  }

  /** CitizenRef.idHash of an ID number: the city's keyed hash over the normalised number. */
  idHash(idNumber: string): string {
    return createHmac('sha256', this.idHashKey).update(normaliseIdNumber(idNumber)).digest('hex');
  }

  remember(caseId: string, identity: CitizenIdentity): void {
    this.byCase.set(caseId, identity);
  }

  of(caseId: string): CitizenIdentity | undefined {
    return this.byCase.get(caseId);
  }

  forget(caseId: string): void {
    this.byCase.delete(caseId);
  }

  forgetAll(): void {
    this.byCase.clear();
  }
}
