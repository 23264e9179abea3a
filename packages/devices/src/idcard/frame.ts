import { FrameError } from '../transport/errors';
import type { FrameParser } from '../transport/frameReader';
import { skipToHeader, xorChecksum } from '../transport/frameReader';

/**
 * GA 467 SAM serial framing, the same both ways:
 *   AA AA AA 96 69 | LEN (2, big-endian) | body | XOR
 * LEN counts body + checksum; XOR covers LEN and body. Host→reader bodies are
 * CMD PARA data; reader→host bodies are SW1 SW2 SW3 data.
 */
export const SAM_PREAMBLE = Uint8Array.of(0xaa, 0xaa, 0xaa, 0x96, 0x69);
const HEADER_LENGTH = SAM_PREAMBLE.length + 2;
/** Longest body a reader sends (base info with fingerprint is ~2.3 KB). */
export const SAM_MAX_LENGTH = 4096;

export const SamCommand = {
  reset: [0x10, 0xff],
  status: [0x11, 0xff],
  readSamId: [0x12, 0xff],
  findCard: [0x20, 0x01],
  selectCard: [0x20, 0x02],
  readBase: [0x30, 0x01],
  readNewAddress: [0x30, 0x03],
} as const satisfies Record<string, readonly [number, number]>;

/** SW3 values the reader itself reports (GA 467 table of status codes). */
export const SamStatus = {
  ok: 0x90,
  cardFound: 0x9f,
  checksumError: 0x10,
  lengthError: 0x11,
  commandError: 0x21,
  unknownError: 0x24,
  cardAuthFailed: 0x31,
  readerAuthFailed: 0x32,
  verifyError: 0x33,
  wrongCard: 0x40,
  readFailed: 0x41,
  randomFailed: 0x47,
  selfTestFailed: 0x60,
  notAuthorised: 0x66,
  noCard: 0x80,
  selectFailed: 0x81,
  noContent: 0x91,
} as const;

const statusText = new Map<number, string>([
  [SamStatus.ok, 'ok'],
  [SamStatus.cardFound, 'card found'],
  [SamStatus.checksumError, 'reader received a bad checksum'],
  [SamStatus.lengthError, 'reader received a bad length'],
  [SamStatus.commandError, 'reader rejected the command'],
  [SamStatus.unknownError, 'unrecognised error'],
  [SamStatus.cardAuthFailed, 'card failed to authenticate the reader'],
  [SamStatus.readerAuthFailed, 'reader failed to authenticate the card'],
  [SamStatus.verifyError, 'information verification error'],
  [SamStatus.wrongCard, 'not an ID card'],
  [SamStatus.readFailed, 'reading the card failed'],
  [SamStatus.randomFailed, 'card random number failed'],
  [SamStatus.selfTestFailed, 'reader self-test failed'],
  [SamStatus.notAuthorised, 'reader not authorised'],
  [SamStatus.noCard, 'no card on the reader'],
  [SamStatus.selectFailed, 'selecting the card failed'],
  [SamStatus.noContent, 'no such content on the card'],
]);

export function describeSamStatus(sw3: number): string {
  return statusText.get(sw3) ?? `status 0x${sw3.toString(16).padStart(2, '0')}`;
}

export function encodeSamFrame(body: Uint8Array): Buffer {
  const length = body.length + 1;
  if (length > 0xffff) throw new RangeError('SAM frame body too long');
  const frame = Buffer.alloc(HEADER_LENGTH + length);
  frame.set(SAM_PREAMBLE, 0);
  frame.writeUInt16BE(length, SAM_PREAMBLE.length);
  frame.set(body, HEADER_LENGTH);
  frame[frame.length - 1] = xorChecksum(frame, SAM_PREAMBLE.length, frame.length - 1);
  return frame;
}

export function encodeSamCommand(command: readonly [number, number], data: Uint8Array = new Uint8Array(0)): Buffer {
  return encodeSamFrame(Uint8Array.from([...command, ...data]));
}

export interface SamReply {
  sw1: number;
  sw2: number;
  sw3: number;
  data: Uint8Array;
}

export function encodeSamReply(reply: SamReply): Buffer {
  return encodeSamFrame(Uint8Array.from([reply.sw1, reply.sw2, reply.sw3, ...reply.data]));
}

/** Extracts the body of one SAM frame; junk, bad lengths and bad checksums are skipped. */
export const samFrameParser: FrameParser<Uint8Array> = (bytes) => {
  const junk = skipToHeader(bytes, SAM_PREAMBLE);
  if (junk) return junk;
  if (bytes.length < HEADER_LENGTH) return { kind: 'incomplete' };
  const length = ((bytes[5] ?? 0) << 8) | (bytes[6] ?? 0);
  if (length < 2 || length > SAM_MAX_LENGTH) {
    // Skip only the first preamble byte: a later preamble may start inside.
    return { kind: 'skip', length: 1, error: new FrameError('malformed', `SAM frame with impossible length ${length}`, 1) };
  }
  const total = HEADER_LENGTH + length;
  if (bytes.length < total) return { kind: 'incomplete' };
  const expected = xorChecksum(bytes, SAM_PREAMBLE.length, total - 1);
  const actual = bytes[total - 1] ?? -1;
  if (expected !== actual) {
    return {
      kind: 'skip',
      length: 1,
      error: new FrameError(
        'checksum',
        `SAM frame checksum 0x${actual.toString(16)} != 0x${expected.toString(16)} (${total} bytes dropped)`,
        total,
      ),
    };
  }
  return { kind: 'frame', frame: bytes.slice(HEADER_LENGTH, total - 1), length: total };
};

/** Reads a reply body; undefined when it is too short to carry the three status bytes. */
export function decodeSamReply(body: Uint8Array): SamReply | undefined {
  if (body.length < 3) return undefined;
  return { sw1: body[0] ?? 0, sw2: body[1] ?? 0, sw3: body[2] ?? 0, data: body.slice(3) };
}

export interface SamRequest {
  command: readonly [number, number];
  data: Uint8Array;
}

export function decodeSamCommand(body: Uint8Array): SamRequest | undefined {
  if (body.length < 2) return undefined;
  return { command: [body[0] ?? 0, body[1] ?? 0], data: body.slice(2) };
}

export function sameCommand(a: readonly [number, number], b: readonly [number, number]): boolean {
  return a[0] === b[0] && a[1] === b[1];
}

export interface BaseInfoPayload {
  text: Uint8Array;
  photo: Uint8Array;
  /** Fingerprint data of readers that append it (command 30 10); kept opaque. */
  extra: Uint8Array;
}

/** Base info data: text length (2, BE), photo length (2, BE), text, photo. */
export function decodeBaseInfo(data: Uint8Array): BaseInfoPayload | FrameError {
  if (data.length < 4) return new FrameError('malformed', 'base info shorter than its length fields', data.length);
  const textLength = ((data[0] ?? 0) << 8) | (data[1] ?? 0);
  const photoLength = ((data[2] ?? 0) << 8) | (data[3] ?? 0);
  if (4 + textLength + photoLength > data.length) {
    return new FrameError(
      'malformed',
      `base info announces ${textLength}+${photoLength} bytes but carries ${data.length - 4}`,
      data.length,
    );
  }
  const text = data.slice(4, 4 + textLength);
  const photo = data.slice(4 + textLength, 4 + textLength + photoLength);
  return { text, photo, extra: data.slice(4 + textLength + photoLength) };
}

export function encodeBaseInfo(text: Uint8Array, photo: Uint8Array): Buffer {
  const out = Buffer.alloc(4 + text.length + photo.length);
  out.writeUInt16BE(text.length, 0);
  out.writeUInt16BE(photo.length, 2);
  out.set(text, 4);
  out.set(photo, 4 + text.length);
  return out;
}
