import { DeviceSimulator } from '../testing/deviceSimulator';
import type { ByteLink } from '../transport/link';
import type { DynamicText, ScreenTextEncoding } from './onbonCommands';
import { decodeCommand, encodeAck } from './onbonCommands';
import type { OnbonPacket } from './onbonFrame';
import { PC_ADDRESS, encodeOnbonFrame, onbonFrameParser } from './onbonFrame';

/**
 * Onbon controllers on one RS485 bus: decodes every frame, records what each
 * address shows, and acknowledges like the real controller (only the addressed
 * screen answers).
 */
export class OnbonScreenSimulator extends DeviceSimulator<OnbonPacket> {
  readonly shown = new Map<number, DynamicText>();
  readonly #addresses: Set<number>;

  readonly #encoding: ScreenTextEncoding;
  readonly #onShow: ((address: number, area: DynamicText) => void) | undefined;

  constructor(
    link: ByteLink,
    addresses: readonly number[],
    options: { encoding?: ScreenTextEncoding; onShow?: (address: number, area: DynamicText) => void } = {},
  ) {
    super(link, onbonFrameParser);
    this.#addresses = new Set(addresses);
    this.#encoding = options.encoding ?? 'gb2312';
    this.#onShow = options.onShow;
  }

  textAt(address: number): string | undefined {
    return this.shown.get(address)?.text;
  }

  protected handle(packet: OnbonPacket): Uint8Array | undefined {
    if (!this.#addresses.has(packet.dst)) return undefined;
    const command = decodeCommand(packet.data, this.#encoding);
    let ok = false;
    if (command.kind === 'dynamic-text') {
      for (const area of command.areas) {
        this.shown.set(packet.dst, area);
        this.#onShow?.(packet.dst, area);
      }
      ok = command.areas.length > 0;
    }
    if (command.kind !== 'invalid' && !command.wantsReply) return undefined;
    return encodeOnbonFrame({
      dst: PC_ADDRESS,
      src: packet.dst,
      deviceType: packet.deviceType,
      protocolVersion: packet.protocolVersion,
      data: encodeAck(ok, ok ? 0 : 0x02),
    });
  }
}
