import { FramedChannel } from '../transport/framedChannel';
import { delay } from '../transport/timeout';
import type { LockerControllerOptions } from './controller';
import { BusLockerController } from './controller';
import type { CuChannels } from './protocolKerong';
import { cuParser, cuStatusLength, decodeCuStatus, encodeCuQuery, encodeCuUnlock } from './protocolKerong';

export interface KerongCuControllerOptions extends LockerControllerOptions {
  channels?: CuChannels;
  /** Wait between the unlock pulse and the confirming status query. */
  settleMs?: number;
}

/** LockerController for Kerong KR-CU 16/48-channel controllers. */
export class KerongCuController extends BusLockerController {
  readonly #cuChannels: CuChannels;
  readonly #settleMs: number;
  readonly #channel: FramedChannel<Uint8Array>;

  constructor(options: KerongCuControllerOptions) {
    const channels = options.channels ?? 16;
    super({ ...options, locksPerBoard: channels });
    this.#cuChannels = channels;
    this.#settleMs = options.settleMs ?? 100;
    this.#channel = new FramedChannel(this.link, cuParser(cuStatusLength(channels)));
  }

  protected channel(): FramedChannel<Uint8Array> {
    return this.#channel;
  }

  protected async openOnce(board: number, lock: number): Promise<boolean> {
    await this.#channel.send(encodeCuUnlock(this.#cuChannels, board, lock));
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
      accept: (frame) => {
        const status = decodeCuStatus(this.#cuChannels, frame);
        return status && status.board === board ? status.open : undefined;
      },
    });
  }
}
