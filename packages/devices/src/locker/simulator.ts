import { DeviceSimulator } from '../testing/deviceSimulator';
import type { ByteLink } from '../transport/link';
import type { Board8aOptions } from './protocol8a';
import {
  DEFAULT_BOARD_8A,
  LOCK_OPEN_FUNCTION,
  LOCK_OPEN_HEADER,
  LOCK_QUERY_FUNCTION,
  LOCK_QUERY_HEADER,
  encodeBitmapReply,
  encodeLockStateReply,
  lockFrameParser,
  lockStateByte,
} from './protocol8a';
import type { CuChannels } from './protocolKerong';
import { cuCommandLength, cuParser, decodeCuCommand, encodeCuStatus, encodeCuUnlockAck } from './protocolKerong';

export type LockProtocolChoice =
  | { kind: '8a80'; options?: Partial<Board8aOptions> }
  | { kind: 'kerong'; channels?: CuChannels };

interface SimLock {
  open: boolean;
  jammed: boolean;
}

export interface LockBusSimulatorOptions {
  protocol: LockProtocolChoice;
  /** Board addresses on the bus and their lock counts. */
  boards: Record<number, number>;
}

/**
 * Lock boards on one simulated RS485 bus. Doors spring open when their lock is
 * released and stay open until `closeDoor` (a person pushing them shut); a
 * jammed lock ignores open commands. Boards not on the bus stay silent.
 */
export class LockBusSimulator extends DeviceSimulator<Uint8Array> {
  readonly #boards = new Map<number, SimLock[]>();
  readonly #protocol: LockProtocolChoice;
  readonly #options8a: Board8aOptions;
  readonly #channels: CuChannels;

  constructor(link: ByteLink, options: LockBusSimulatorOptions) {
    const channels = options.protocol.kind === 'kerong' ? (options.protocol.channels ?? 16) : 16;
    super(link, options.protocol.kind === 'kerong' ? cuParser(() => cuCommandLength(channels)) : lockFrameParser(() => 5));
    this.#protocol = options.protocol;
    this.#channels = channels;
    this.#options8a = { ...DEFAULT_BOARD_8A, ...(options.protocol.kind === '8a80' ? options.protocol.options : {}) };
    for (const [address, count] of Object.entries(options.boards)) {
      this.#boards.set(
        Number(address),
        Array.from({ length: count }, () => ({ open: false, jammed: false })),
      );
    }
  }

  jam(board: number, lock: number, jammed = true): void {
    this.#lock(board, lock).jammed = jammed;
  }

  closeDoor(board: number, lock: number): void {
    this.#lock(board, lock).open = false;
  }

  /** Every lock on the bus as it stands now (a demo panel draws the doors from it). */
  locks(): { board: number; lock: number; open: boolean; jammed: boolean }[] {
    return [...this.#boards].flatMap(([board, locks]) => locks.map((l, i) => ({ board, lock: i + 1, open: l.open, jammed: l.jammed })));
  }

  isOpen(board: number, lock: number): boolean {
    return this.#lock(board, lock).open;
  }

  protected handle(frame: Uint8Array): Uint8Array | undefined {
    return this.#protocol.kind === 'kerong' ? this.#handleKerong(frame) : this.#handle8a(frame);
  }

  #handle8a(frame: Uint8Array): Uint8Array | undefined {
    const [header, board = 0, lock = 0, fn] = frame;
    const locks = this.#boards.get(board);
    if (!locks) return undefined;
    if (header === LOCK_OPEN_HEADER && fn === LOCK_OPEN_FUNCTION) {
      const targets = lock === 0 ? locks : [locks[lock - 1]];
      for (const target of targets) this.#release(target);
      if (lock === 0) return undefined;
      const target = locks[lock - 1];
      return target ? encodeLockStateReply(LOCK_OPEN_HEADER, board, lock, lockStateByte(target.open, this.#options8a)) : undefined;
    }
    if (header === LOCK_QUERY_HEADER && fn === LOCK_QUERY_FUNCTION) {
      if (lock === 0) return encodeBitmapReply(board, locks.map((l) => l.open), this.#options8a);
      const target = locks[lock - 1];
      return target ? encodeLockStateReply(LOCK_QUERY_HEADER, board, lock, lockStateByte(target.open, this.#options8a)) : undefined;
    }
    return undefined;
  }

  #handleKerong(frame: Uint8Array): Uint8Array | undefined {
    const command = decodeCuCommand(this.#channels, frame);
    const locks = this.#boards.get(command.board);
    if (!locks) return undefined;
    if (command.kind === 'unlock') {
      this.#release(locks[command.lock - 1]);
      // KR-CU16 boards do not answer an unlock; KR-CU48 boards acknowledge it.
      return this.#channels === 48 ? encodeCuUnlockAck(command.board, command.lock) : undefined;
    }
    if (command.kind === 'query') return encodeCuStatus(this.#channels, command.board, locks.map((l) => l.open));
    return undefined;
  }

  #release(lock: SimLock | undefined): void {
    if (lock && !lock.jammed) lock.open = true;
  }

  #lock(board: number, lock: number): SimLock {
    const found = this.#boards.get(board)?.[lock - 1];
    if (!found) throw new RangeError(`no lock ${lock} on simulated board ${board}`);
    return found;
  }
}
