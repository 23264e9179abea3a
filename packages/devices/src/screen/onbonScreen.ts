import type { DeviceHealth } from '../health';
import { HealthTracker } from '../health';
import { DeviceError, DeviceStatusError, DeviceTimeoutError } from '../transport/errors';
import { FramedChannel } from '../transport/framedChannel';
import type { ByteLink } from '../transport/link';
import { TypedEmitter } from '../transport/typedEmitter';
import type { DynamicText, ScreenTextEncoding } from './onbonCommands';
import { UnencodableTextError, decodeAck, encodeSendDynamic } from './onbonCommands';
import type { OnbonPacket } from './onbonFrame';
import { PC_ADDRESS, encodeOnbonFrame, onbonFrameParser } from './onbonFrame';
import type { CallScreen, CallScreenEvents } from './types';

export interface OnbonScreenOptions {
  link: ByteLink;
  timeoutMs?: number;
  encoding?: ScreenTextEncoding;
  /** Area geometry of the signs (pixels); one full-size area by default. */
  area?: Partial<Omit<DynamicText, 'text'>>;
  /** BX device type byte; 0xFE addresses any model. */
  deviceType?: number;
  protocolVersion?: number;
}

const DEFAULT_AREA: Omit<DynamicText, 'text'> = {
  areaId: 0,
  x: 0,
  y: 0,
  width: 64,
  height: 16,
  displayMode: 3,
  speed: 1,
  stayTime: 5,
};

/** CallScreen over Onbon BX-series controllers on RS485. */
export class OnbonCallScreen extends TypedEmitter<CallScreenEvents> implements CallScreen {
  readonly #link: ByteLink;
  readonly #channel: FramedChannel<OnbonPacket>;
  readonly #health = new HealthTracker('screen');
  readonly #options: Required<Omit<OnbonScreenOptions, 'link' | 'area'>> & { area: Omit<DynamicText, 'text'> };

  constructor(options: OnbonScreenOptions) {
    super();
    this.#link = options.link;
    this.#options = {
      timeoutMs: options.timeoutMs ?? 1000,
      encoding: options.encoding ?? 'gb2312',
      deviceType: options.deviceType ?? 0xfe,
      protocolVersion: options.protocolVersion ?? 0x02,
      area: { ...DEFAULT_AREA, ...options.area },
    };
    this.#channel = new FramedChannel(options.link, onbonFrameParser);
    this.#channel.on('frameError', (error) => this.emit('error', error));
    this.#health.on('health', (health) => this.emit('health', health));
    this.#link.on('open', () => this.#health.setConnected(true));
    this.#link.on('disconnect', () => this.#health.setConnected(false));
  }

  get health(): DeviceHealth {
    return this.#health.current;
  }

  start(): void {
    this.#link.start();
  }

  async show(address: number, text: string): Promise<void> {
    if (!Number.isInteger(address) || address < 1 || address > 0xfffe) {
      throw new DeviceError('bad-argument', `screen address ${address} is not 1–65534`);
    }
    let data: Buffer;
    try {
      data = encodeSendDynamic({ ...this.#options.area, text }, this.#options.encoding);
    } catch (error) {
      if (error instanceof UnencodableTextError) throw new DeviceError('bad-text', error.message);
      throw error;
    }
    const frame = encodeOnbonFrame({
      dst: address,
      src: PC_ADDRESS,
      deviceType: this.#options.deviceType,
      protocolVersion: this.#options.protocolVersion,
      data,
    });
    const what = `screen ${address}`;
    try {
      const ack = await this.#channel.request(frame, {
        timeoutMs: this.#options.timeoutMs,
        what,
        accept: (packet) => (packet.src === address ? decodeAck(packet.data) : undefined),
      });
      this.#health.clear(`screen-${address}-no-response`);
      if (!ack.ok) throw new DeviceStatusError('screen-rejected', `${what} rejected the text (error ${ack.errorCode})`, ack.errorCode);
    } catch (error) {
      if (error instanceof DeviceTimeoutError) {
        this.#health.raise({ code: `screen-${address}-no-response`, level: 'warning', message: `screen ${address} does not answer` });
      }
      throw error;
    }
  }

  close(): Promise<void> {
    return this.#link.close();
  }
}
