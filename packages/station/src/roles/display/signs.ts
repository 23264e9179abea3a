import { screenTexts, type CallScreen, type OnbonScreenSimulator } from '@hall/devices';
import type { DisplayState } from '@hall/shared';
import type { DeviceConnection } from '../../config/schema';
import { DeviceFactory } from '../../devices/factory';

/** What a counter sign says for its counter's state on the wall. */
export function counterSignText(counter: DisplayState['counters'][number]): string {
  if (counter.status === 'serving' && counter.servingTicketNumber) return screenTexts.called(counter.servingTicketNumber, counter.number);
  if (counter.status === 'serving' || counter.status === 'open') return screenTexts.serving();
  return screenTexts.paused();
}

export interface CounterSignsOptions {
  screen: CallScreen;
  /** counter id → bus address of its sign. */
  counterSigns: Readonly<Record<string, number>>;
  /** Bus addresses of strip screens showing the latest call. */
  strips: readonly number[];
  /** Failed sends are retried after this long, so a sign replugged later catches up. */
  retryMs?: number;
}

/**
 * Drives the hall's counter signs and strip screens from the display's state. The display
 * station drives them (one RS485 bus from the display PC), because it is the one station
 * that knows every counter's state from both the LAN feed and sync; a counter PC that is
 * down then cannot leave its sign showing a stale number. Sends only what changed, one
 * frame at a time (the bus is half-duplex), and retries what a sign did not acknowledge.
 */
export class CounterSigns {
  private readonly shown = new Map<number, string>();
  private readonly wanted = new Map<number, string>();
  private running: Promise<void> | undefined;
  private retry: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly options: CounterSignsOptions) {}

  update(state: DisplayState): void {
    for (const counter of state.counters) {
      const address = this.options.counterSigns[counter.id];
      if (address !== undefined) this.wanted.set(address, counterSignText(counter));
    }
    const latest = state.latest;
    for (const address of this.options.strips) {
      this.wanted.set(address, latest ? screenTexts.called(latest.ticketNumber, latest.counterNumber) : screenTexts.serving());
    }
    this.flush();
  }

  private flush(): void {
    if (this.running || this.closed) return;
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if ([...this.wanted].some(([a, t]) => this.shown.get(a) !== t)) this.scheduleRetry();
    });
  }

  private async drain(): Promise<void> {
    for (let pass = 0; pass < 3; pass++) {
      const todo = [...this.wanted].filter(([address, text]) => this.shown.get(address) !== text);
      if (todo.length === 0) return;
      for (const [address, text] of todo) {
        if (this.closed) return;
        try {
          await this.options.screen.show(address, text);
          this.shown.set(address, text);
        } catch {
          // Health reports the silent sign; the retry timer tries again.
        }
      }
    }
  }

  private scheduleRetry(): void {
    if (this.retry || this.closed) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      this.flush();
    }, this.options.retryMs ?? 5000);
    this.retry.unref();
  }

  /** What each address shows now (acknowledged by the sign). */
  showing(address: number): string | undefined {
    return this.shown.get(address);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    await this.running;
  }
}

export interface OpenedScreens {
  screen: CallScreen;
  /** The bus simulator's record, when the connection is `simulated`. */
  simulator?: OnbonScreenSimulator;
  close(): Promise<void>;
}

/** Opens the Onbon bus from the display config; `simulated` puts the bus simulator on a pty pair. */
export async function openCallScreens(connection: DeviceConnection, addresses: readonly number[]): Promise<OpenedScreens | undefined> {
  const factory = new DeviceFactory();
  const opened = await factory.callScreen(connection, addresses).catch(async (error: unknown) => {
    await factory.close();
    throw error;
  });
  if (!opened) return undefined;
  return {
    screen: opened.driver,
    ...(opened.simulator ? { simulator: opened.simulator } : {}),
    close: () => factory.close(),
  };
}
