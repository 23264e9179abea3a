import { DeviceError } from '../transport/errors';
import { FramedChannel } from '../transport/framedChannel';
import type { LockerControllerOptions } from './controller';
import { BusLockerController } from './controller';
import type { Board8aOptions } from './protocol8a';
import {
  DEFAULT_BOARD_8A,
  LOCK_OPEN_HEADER,
  LOCK_QUERY_FUNCTION,
  LOCK_QUERY_HEADER,
  decodeBitmap,
  doorOpenFromState,
  encodeLockOpen,
  encodeLockQuery,
  lockFrameParser,
} from './protocol8a';

export interface Board8aControllerOptions extends LockerControllerOptions {
  board?: Partial<Board8aOptions>;
}

/** LockerController for RS485 buses of "8A/80" lock boards. */
export class Board8aController extends BusLockerController {
  readonly #options: Board8aOptions;
  readonly #channel: FramedChannel<Uint8Array>;
  #expectLength = 5;

  constructor(options: Board8aControllerOptions) {
    super({ locksPerBoard: (options.board?.bitmapBytes ?? DEFAULT_BOARD_8A.bitmapBytes) * 8, ...options });
    this.#options = { ...DEFAULT_BOARD_8A, ...options.board };
    this.#channel = new FramedChannel(this.link, lockFrameParser(() => this.#expectLength));
  }

  protected channel(): FramedChannel<Uint8Array> {
    return this.#channel;
  }

  protected openOnce(board: number, lock: number): Promise<boolean> {
    return this.#single(LOCK_OPEN_HEADER, board, lock, encodeLockOpen(board, lock), `open board ${board} lock ${lock}`);
  }

  protected queryOne(board: number, lock: number): Promise<boolean> {
    return this.#single(LOCK_QUERY_HEADER, board, lock, encodeLockQuery(board, lock), `query board ${board} lock ${lock}`);
  }

  protected queryAll(board: number): Promise<boolean[]> {
    const length = this.#options.bitmapBytes + 4;
    return this.#channel.request(encodeLockQuery(board, 0), {
      timeoutMs: this.timeoutMs,
      what: `query board ${board}`,
      prepare: () => {
        this.#expectLength = length;
      },
      accept: (f) =>
        f[0] === LOCK_QUERY_HEADER && f[1] === board && f[length - 2] === LOCK_QUERY_FUNCTION
          ? decodeBitmap(f.subarray(2, length - 2), this.locksPerBoard, this.#options)
          : undefined,
    });
  }

  async #single(header: number, board: number, lock: number, command: Uint8Array, what: string): Promise<boolean> {
    const state = await this.#channel.request(command, {
      timeoutMs: this.timeoutMs,
      what,
      prepare: () => {
        this.#expectLength = 5;
      },
      accept: (f) => (f[0] === header && f[1] === board && f[2] === lock ? (f[3] ?? -1) : undefined),
    });
    const open = doorOpenFromState(state, this.#options);
    if (open === undefined) throw new DeviceError('bad-reply', `${what}: unknown state byte 0x${state.toString(16)}`);
    return open;
  }
}
