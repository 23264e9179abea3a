import type { KioskRefusal } from '@hall/shared';
import type { BarredCitizen, KioskBlacklist } from './repository';

/**
 * How long a tap waits for a central blacklist answer still on its way (asked when the
 * citizen was identified): well inside the 300 ms from tap to number on screen.
 */
const BLACKLIST_GRACE_MS = 100;

/** The central API's answer to a blacklist check; undefined when it cannot be asked (offline). */
export type BlacklistCheck = (idHash: string, day: string) => Promise<{ blacklisted: false } | { blacklisted: true; until: string; reason: string; source?: string | undefined } | undefined>;

/** The hall's whole blacklist from the central API (hashes only); undefined when it cannot be asked. */
export type BlacklistList = () => Promise<BarredCitizen[] | undefined>;

/**
 * 黑名单: the central API's answer when it gives one in time (and the list here learns it),
 * else the hall's list held here. Barred citizens may neither take a ticket nor check in.
 */
export class BlacklistGate {
  /** Central blacklist checks under way, by ID hash (one at a time per citizen). */
  private readonly asked = new Map<string, Promise<void>>();

  constructor(
    /** The hall's blacklist held here, so a barred citizen is refused offline too. */
    readonly held: KioskBlacklist,
    private readonly central: { check?: BlacklistCheck | undefined; list?: BlacklistList | undefined },
    private readonly today: () => string,
  ) {}

  async barred(idHash: string, today: string): Promise<KioskRefusal | undefined> {
    // Asked at identification, so the answer is usually here by the tap; a hung API costs
    // the citizen at most the grace, then the list held here decides (the answer still lands).
    const asking = this.asked.get(idHash) ?? this.ask(idHash, today);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([asking, new Promise<void>((resolve) => (timer = setTimeout(resolve, BLACKLIST_GRACE_MS)))]);
    clearTimeout(timer);
    const bar = this.held.barred(idHash, today);
    return bar ? { reason: 'blacklisted', until: bar.until, why: bar.reason, ...(bar.source ? { source: bar.source.slice(0, 20) } : {}) } : undefined;
  }

  /** A citizen was identified: their answer is asked for now, before any tap needs it. */
  askAhead(idHash: string): void {
    if (!this.asked.has(idHash)) void this.ask(idHash, this.today());
  }

  /** Asks the central API about one citizen; the list held here learns the answer whenever it comes. */
  private ask(idHash: string, today: string): Promise<void> {
    const check = this.central.check;
    if (!check) return Promise.resolve();
    const asking = check(idHash, today)
      .then((answer) => {
        if (answer) this.held.learn(idHash, answer.blacklisted ? { reason: answer.reason, until: answer.until, source: answer.source } : undefined);
      })
      // No answer, or one that comes after the kiosk closed (its database with it): the held list decides.
      .catch(() => undefined)
      .finally(() => this.asked.delete(idHash));
    this.asked.set(idHash, asking);
    return asking;
  }

  /** Fetches the hall's list into kiosk.db; false when the central API did not answer (the held list stays). */
  async refresh(): Promise<boolean> {
    const list = await this.central.list?.().catch(() => undefined);
    if (!list) return false;
    this.held.replace(list);
    return true;
  }
}
