import { DeviceSimulator } from '../testing/deviceSimulator';
import type { ByteLink } from '../transport/link';
import type { SamReply } from './frame';
import {
  SamCommand,
  SamStatus,
  decodeSamCommand,
  encodeBaseInfo,
  encodeSamReply,
  samFrameParser,
  sameCommand,
} from './frame';
import type { IdDocument } from './text';
import { encodeTextBlock } from './text';

export interface SimulatedCard {
  document: IdDocument;
  /** WLT bytes; 1024 bytes of filler when absent. */
  photo?: Uint8Array;
}

type CardState = 'absent' | 'fresh' | 'read';

/** Deterministic filler standing in for a WLT photo (the real one is opaque to us anyway). */
export function fillerPhoto(seed = 1): Uint8Array {
  const photo = new Uint8Array(1024);
  let x = seed;
  for (let i = 0; i < photo.length; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    photo[i] = x >> 16;
  }
  return photo;
}

/**
 * A GA 467 reader on the device side of a link. Like real readers, a card that
 * has been read stops answering "find" until it is lifted and placed again, but
 * still answers "select" while it lies there.
 */
export class IdCardSimulator extends DeviceSimulator<Uint8Array> {
  #card: SimulatedCard | undefined;
  #state: CardState = 'absent';

  constructor(link: ByteLink, card?: SimulatedCard) {
    super(link, samFrameParser);
    if (card) this.placeCard(card);
  }

  placeCard(card: SimulatedCard): void {
    this.#card = card;
    this.#state = 'fresh';
  }

  removeCard(): void {
    this.#card = undefined;
    this.#state = 'absent';
  }

  protected handle(body: Uint8Array): Uint8Array | undefined {
    const request = decodeSamCommand(body);
    if (!request) return encodeSamReply(status(SamStatus.lengthError));
    return encodeSamReply(this.#reply(request.command));
  }

  #reply(command: readonly [number, number]): SamReply {
    if (sameCommand(command, SamCommand.findCard)) {
      return this.#state === 'fresh' ? status(SamStatus.cardFound, new Uint8Array(4)) : status(SamStatus.noCard);
    }
    if (sameCommand(command, SamCommand.selectCard)) {
      return this.#state === 'absent' ? status(SamStatus.selectFailed) : status(SamStatus.ok, new Uint8Array(8));
    }
    if (sameCommand(command, SamCommand.readBase)) {
      const card = this.#card;
      if (!card || this.#state === 'absent') return status(SamStatus.readFailed);
      this.#state = 'read';
      return status(SamStatus.ok, encodeBaseInfo(encodeTextBlock(card.document), card.photo ?? fillerPhoto()));
    }
    if (sameCommand(command, SamCommand.reset) || sameCommand(command, SamCommand.status)) return status(SamStatus.ok);
    return status(SamStatus.commandError);
  }
}

function status(sw3: number, data: Uint8Array = new Uint8Array(0)): SamReply {
  return { sw1: 0, sw2: 0, sw3, data };
}
