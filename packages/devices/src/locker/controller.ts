import type { DeviceHealth } from '../health';
import { HealthTracker } from '../health';
import { DeviceError, DeviceTimeoutError, asDeviceError } from '../transport/errors';
import type { FramedChannel } from '../transport/framedChannel';
import type { ByteLink } from '../transport/link';
import { Poller } from '../transport/poller';
import { TypedEmitter } from '../transport/typedEmitter';
import type { DoorState, LockAddress, LockerController, LockerEvents, OpenResult } from './types';

export interface LockerControllerOptions {
  link: ByteLink;
  /** Per request on the bus. */
  timeoutMs?: number;
  /** Locks per board (validates lock numbers, sizes status replies). */
  locksPerBoard?: number;
  /** Pause between the openings of `openMany`, so solenoids do not fire together. */
  openGapMs?: number;
}

/**
 * What every lock-board driver shares: argument checks, sequential multi-open,
 * health per board, and the monitoring loop that reports door changes and doors
 * left open. Protocols only implement the three bus operations.
 */
export abstract class BusLockerController extends TypedEmitter<LockerEvents> implements LockerController {
  protected readonly link: ByteLink;
  protected readonly timeoutMs: number;
  readonly locksPerBoard: number;
  readonly #openGapMs: number;
  readonly #health = new HealthTracker('locker');
  #monitor: Poller | undefined;
  readonly #doors = new Map<string, { open: boolean; since: number; reported: boolean }>();

  protected constructor(options: LockerControllerOptions) {
    super();
    this.link = options.link;
    this.timeoutMs = options.timeoutMs ?? 500;
    this.locksPerBoard = options.locksPerBoard ?? 24;
    this.#openGapMs = options.openGapMs ?? 100;
    this.#health.on('health', (health) => this.emit('health', health));
    this.link.on('open', () => this.#health.setConnected(true));
    this.link.on('disconnect', () => this.#health.setConnected(false));
  }

  protected abstract channel(): FramedChannel<Uint8Array>;
  /** Sends the open command; resolves with whether the door reports open afterwards. */
  protected abstract openOnce(board: number, lock: number): Promise<boolean>;
  protected abstract queryOne(board: number, lock: number): Promise<boolean>;
  protected abstract queryAll(board: number): Promise<boolean[]>;

  get health(): DeviceHealth {
    return this.#health.current;
  }

  #started = false;

  start(): void {
    if (!this.#started) this.channel().on('frameError', (error) => this.emit('error', error));
    this.#started = true;
    this.link.start();
  }

  async open(board: number, lock: number): Promise<OpenResult> {
    this.#check(board, lock);
    const opened = await this.#onBoard(board, () => this.openOnce(board, lock));
    if (opened) this.#health.clear(`jammed-${board}-${lock}`);
    else {
      this.#health.raise({
        code: `jammed-${board}-${lock}`,
        level: 'warning',
        message: `board ${board} lock ${lock} did not open`,
      });
    }
    return { board, lock, opened };
  }

  async openMany(board: number, locks: readonly number[]): Promise<OpenResult[]> {
    const results: OpenResult[] = [];
    for (const [i, lock] of locks.entries()) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, this.#openGapMs));
      results.push(await this.open(board, lock));
    }
    return results;
  }

  isOpen(board: number, lock: number): Promise<boolean> {
    this.#check(board, lock);
    return this.#onBoard(board, () => this.queryOne(board, lock));
  }

  async status(board: number): Promise<DoorState[]> {
    this.#check(board, 1);
    const open = await this.#onBoard(board, () => this.queryAll(board));
    return open.slice(0, this.locksPerBoard).map((isOpen, i) => ({ board, lock: i + 1, open: isOpen }));
  }

  startMonitoring(boards: readonly number[], options: { intervalMs?: number; leftOpenAfterMs?: number } = {}): void {
    if (this.#monitor?.running) return;
    const leftOpenAfterMs = options.leftOpenAfterMs ?? 60_000;
    this.#monitor = new Poller(
      async () => {
        for (const board of boards) {
          if (this.link.state !== 'open') break;
          try {
            this.#track(await this.status(board), leftOpenAfterMs);
          } catch (error) {
            this.emit('error', asDeviceError(error));
          }
        }
      },
      (error) => this.emit('error', error),
    );
    this.#monitor.start(options.intervalMs ?? 1000);
  }

  stopMonitoring(): void {
    this.#monitor?.stop();
  }

  async close(): Promise<void> {
    this.stopMonitoring();
    await this.link.close();
  }

  #track(states: DoorState[], leftOpenAfterMs: number): void {
    const now = Date.now();
    for (const state of states) {
      const key = `${state.board}-${state.lock}`;
      const known = this.#doors.get(key);
      if (!known || known.open !== state.open) {
        this.#doors.set(key, { open: state.open, since: now, reported: false });
        if (known) this.emit('door', state);
        continue;
      }
      if (known.open && !known.reported && now - known.since >= leftOpenAfterMs) {
        known.reported = true;
        this.emit('doorLeftOpen', { board: state.board, lock: state.lock });
      }
    }
    const leftOpen: LockAddress[] = [];
    for (const [key, door] of this.#doors) {
      if (door.open && door.reported) {
        const [board, lock] = key.split('-').map(Number);
        leftOpen.push({ board: board ?? 0, lock: lock ?? 0 });
      }
    }
    if (leftOpen.length === 0) this.#health.clear('door-left-open');
    else {
      this.#health.raise({
        code: 'door-left-open',
        level: 'warning',
        message: `door left open: ${leftOpen.map((d) => `${d.board}/${d.lock}`).join(', ')}`,
      });
    }
  }

  async #onBoard<T>(board: number, task: () => Promise<T>): Promise<T> {
    try {
      const result = await task();
      this.#health.clear(`board-${board}-no-response`);
      return result;
    } catch (error) {
      if (error instanceof DeviceTimeoutError) {
        this.#health.raise({ code: `board-${board}-no-response`, level: 'error', message: `lock board ${board} does not answer` });
      }
      throw error;
    }
  }

  #check(board: number, lock: number): void {
    if (!Number.isInteger(board) || board < 0 || board > 255) {
      throw new DeviceError('bad-argument', `board address ${board} is not 0–255`);
    }
    if (!Number.isInteger(lock) || lock < 1 || lock > this.locksPerBoard) {
      throw new DeviceError('bad-argument', `lock ${lock} is not 1–${this.locksPerBoard}`);
    }
  }
}
