import { FramedChannel } from '../transport/framedChannel';
import { delay } from '../transport/timeout';
import type { LockerControllerOptions } from './controller';
import { BusLockerController } from './controller';
import type { CuChannels } from './protocolKerong';
import {
  CU_UNLOCK_ACK_LENGTH,
  cuParser,
  cuStatusLength,
  decodeCuStatus,
  encodeCuQuery,
  encodeCuUnlock,
  isCuUnlockAck,
} from './protocolKerong';

export interface KerongCuControllerOptions extends LockerControllerOptions {
  channels?: CuChannels;
  /** Wait between the unlock pulse and the confirming status query. */
  settleMs?: number;
}

/** LockerController for Kerong KR-CU16 / KR-CU48 controllers. */
export class KerongCuController extends BusLockerController {
  readonly #cuChannels: CuChannels;
  readonly #settleMs: number;
  readonly #channel: FramedChannel<Uint8Array>;
  #expectLength: number;

  constructor(options: KerongCuControllerOptions) {
    const channels = options.channels ?? 16;
    super({ ...options, locksPerBoard: channels });
    this.#cuChannels = channels;
    this.#settleMs = options.settleMs ?? 100;
    this.#expectLength = cuStatusLength(channels);
    this.#channel = new FramedChannel(this.link, cuParser(() => this.#expectLength));
  }

  protected channel(): FramedChannel<Uint8Array> {
    return this.#channel;
  }

  protected async openOnce(board: number, lock: number): Promise<boolean> {
    const unlock = encodeCuUnlock(this.#cuChannels, board, lock);
    if (this.#cuChannels === 16) await this.#channel.send(unlock);
    else {
      await this.#channel.request(unlock, {
        timeoutMs: this.timeoutMs,
        what: `unlock Kerong board ${board} lock ${lock}`,
        prepare: () => {
          this.#expectLength = CU_UNLOCK_ACK_LENGTH;
        },
        accept: (frame) => (isCuUnlockAck(frame, board, lock) ? true : undefined),
      });
    }
    // The acknowledgement only says the pulse was given; the lock bit says whether the door opened.
    await delay(this.#settleMs);
    return (await this.queryAll(board))[lock - 1] ?? false;
  }

  protected async queryOne(board: number, lock: number): Promise<boolean> {
    return (await this.queryAll(board))[lock - 1] ?? false;
  }

  protected queryAll(board: number): Promise<boolean[]> {
    return this.#channel.request(encodeCuQuery(this.#cuChannels, board), {
      timeoutMs: this.timeoutMs,
      what: `query Kerong board ${board}`,
      prepare: () => {
        this.#expectLength = cuStatusLength(this.#cuChannels);
      },
      accept: (frame) => {
        const status = decodeCuStatus(this.#cuChannels, frame);
        return status && status.board === board ? status.open : undefined;
      },
    });
  }
}
