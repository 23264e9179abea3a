/**
 * Replay protection without clocks (station clocks may be minutes off): every sender
 * numbers its messages with (boot, counter), where boot grows at every start and counter
 * grows with every message of that boot. A receiver keeps, per sender, the highest boot and
 * an anti-replay window over counters (as IPsec and DTLS do): the highest counter seen and
 * a bitmap of the WINDOW counters below it. Lower boots, counters below the window and
 * counters already seen are refused; reordering within the window is fine.
 */
export const REPLAY_WINDOW = 1024;
/** Senders remembered; only authenticated messages create entries, so this is a hall's worth with room to spare. */
export const REPLAY_MAX_SENDERS = 4096;

export type ReplayVerdict = 'ok' | 'old_boot' | 'too_old' | 'replayed';

/** The window of one sender in one boot. Bit (counter % WINDOW) marks a counter seen. */
export class CounterWindow {
  private highest = -1;
  private readonly seen = new Uint32Array(REPLAY_WINDOW / 32);

  /** Checks and, when new, records the counter. */
  accept(counter: number): ReplayVerdict {
    if (counter > this.highest) {
      this.clearBetween(this.highest, counter);
      this.highest = counter;
      this.mark(counter);
      return 'ok';
    }
    if (counter <= this.highest - REPLAY_WINDOW) return 'too_old';
    if (this.isMarked(counter)) return 'replayed';
    this.mark(counter);
    return 'ok';
  }

  /** Forgets the bits of counters (from, to]: their slots are reused by the new counters. */
  private clearBetween(from: number, to: number): void {
    if (to - from >= REPLAY_WINDOW) {
      this.seen.fill(0);
      return;
    }
    for (let c = from + 1; c <= to; c++) this.unmark(c);
  }

  private slot(counter: number): [number, number] {
    const bit = counter % REPLAY_WINDOW;
    return [bit >>> 5, 1 << (bit & 31)];
  }

  private mark(counter: number): void {
    const [word, mask] = this.slot(counter);
    this.seen[word] = (this.seen[word] ?? 0) | mask;
  }

  private unmark(counter: number): void {
    const [word, mask] = this.slot(counter);
    this.seen[word] = (this.seen[word] ?? 0) & ~mask;
  }

  private isMarked(counter: number): boolean {
    const [word, mask] = this.slot(counter);
    return ((this.seen[word] ?? 0) & mask) !== 0;
  }
}

/** Per sender: the highest boot heard and its counter window. Call only for authenticated messages. */
export class ReplayGuard {
  private readonly senders = new Map<string, { boot: number; window: CounterWindow }>();

  constructor(private readonly maxSenders = REPLAY_MAX_SENDERS) {}

  check(senderId: string, boot: number, counter: number): ReplayVerdict {
    let state = this.senders.get(senderId);
    if (state && boot < state.boot) return 'old_boot';
    if (!state || boot > state.boot) state = { boot, window: new CounterWindow() };
    const verdict = state.window.accept(counter);
    if (verdict === 'ok') {
      // Re-inserting keeps the map in least-recently-heard order for eviction.
      this.senders.delete(senderId);
      this.senders.set(senderId, state);
      this.evict();
    }
    return verdict;
  }

  get size(): number {
    return this.senders.size;
  }

  /**
   * Forgets the least recently heard sender beyond the bound. Its old datagrams could then
   * be replayed once more; that takes more authenticated senders than a hall has stations,
   * and replayed mutations are idempotent in the store anyway.
   */
  private evict(): void {
    while (this.senders.size > this.maxSenders) {
      const oldest = this.senders.keys().next().value;
      if (oldest === undefined) return;
      this.senders.delete(oldest);
    }
  }
}
