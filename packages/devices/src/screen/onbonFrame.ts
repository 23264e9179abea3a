import { FrameError } from '../transport/errors';
import type { FrameParser, ParseStep } from '../transport/frameReader';

/**
 * Onbon (仰邦) BX-series serial framing:
 *   A5 ×8 (sync) | escaped packet | 5A
 * packet = dst (2, LE) | src (2, LE) | reserved (3) | option | check mode |
 *          display mode | device type | protocol version | data length (2, LE) |
 *          data | CRC-16 (2, LE, over everything from dst to the end of data)
 * Escaping inside the packet: A5 → A6 02, A6 → A6 01, 5A → 5B 02, 5B → 5B 01,
 * so A5 and 5A only ever mark frame boundaries.
 */
export const ONBON_FRAME_START = 0xa5;
export const ONBON_FRAME_END = 0x5a;
const SYNC_LENGTH = 8;
/** Address controllers answer from / the PC uses as source. */
export const PC_ADDRESS = 0x8000;
export const BROADCAST_ADDRESS = 0xffff;
const HEADER_LENGTH = 14;
const MAX_PACKET = 8192;

export interface OnbonPacket {
  dst: number;
  src: number;
  deviceType: number;
  protocolVersion: number;
  data: Uint8Array;
}

/** CRC-16/ARC (poly 0x8005 reflected = 0xA001, init 0): the BX-series checksum. */
export function onbonCrc16(bytes: Uint8Array, from = 0, to = bytes.length): number {
  let crc = 0;
  for (let i = from; i < to; i++) {
    crc ^= bytes[i] ?? 0;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
  }
  return crc & 0xffff;
}

export function onbonEscape(bytes: Uint8Array): Buffer {
  const out: number[] = [];
  for (const b of bytes) {
    if (b === 0xa5) out.push(0xa6, 0x02);
    else if (b === 0xa6) out.push(0xa6, 0x01);
    else if (b === 0x5a) out.push(0x5b, 0x02);
    else if (b === 0x5b) out.push(0x5b, 0x01);
    else out.push(b);
  }
  return Buffer.from(out);
}

/** The inverse of `onbonEscape`; an Error for an escape byte not followed by 01/02. */
export function onbonUnescape(bytes: Uint8Array): Buffer | Error {
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] ?? 0;
    if (b !== 0xa6 && b !== 0x5b) {
      out.push(b);
      continue;
    }
    const next = bytes[++i];
    if (next === 0x01) out.push(b);
    else if (next === 0x02) out.push(b === 0xa6 ? 0xa5 : 0x5a);
    else return new Error(`bad escape 0x${b.toString(16)} 0x${(next ?? 0).toString(16)}`);
  }
  return Buffer.from(out);
}

export function encodeOnbonFrame(packet: OnbonPacket): Buffer {
  const raw = Buffer.alloc(HEADER_LENGTH + packet.data.length + 2);
  raw.writeUInt16LE(packet.dst, 0);
  raw.writeUInt16LE(packet.src, 2);
  // bytes 4–6 reserved, 7 option, 8 check mode (0 = CRC16), 9 display mode
  raw[10] = packet.deviceType;
  raw[11] = packet.protocolVersion;
  raw.writeUInt16LE(packet.data.length, 12);
  raw.set(packet.data, HEADER_LENGTH);
  raw.writeUInt16LE(onbonCrc16(raw, 0, raw.length - 2), raw.length - 2);
  return Buffer.concat([Buffer.alloc(SYNC_LENGTH, ONBON_FRAME_START), onbonEscape(raw), Buffer.of(ONBON_FRAME_END)]);
}

/** Decodes the bytes between the sync run and the end byte. Never throws. */
export function decodeOnbonPacket(escaped: Uint8Array): OnbonPacket | FrameError {
  const raw = onbonUnescape(escaped);
  if (raw instanceof Error) return new FrameError('malformed', `Onbon packet: ${raw.message}`, escaped.length);
  if (raw.length < HEADER_LENGTH + 2) return new FrameError('truncated', `Onbon packet of ${raw.length} bytes is too short`, escaped.length);
  const length = raw.readUInt16LE(12);
  if (HEADER_LENGTH + length + 2 !== raw.length) {
    return new FrameError('malformed', `Onbon packet says ${length} data bytes but carries ${raw.length - HEADER_LENGTH - 2}`, escaped.length);
  }
  const expected = onbonCrc16(raw, 0, raw.length - 2);
  if (raw.readUInt16LE(raw.length - 2) !== expected) {
    return new FrameError('checksum', 'Onbon packet CRC-16 mismatch', escaped.length);
  }
  return {
    dst: raw.readUInt16LE(0),
    src: raw.readUInt16LE(2),
    deviceType: raw[10] ?? 0,
    protocolVersion: raw[11] ?? 0,
    data: raw.subarray(HEADER_LENGTH, HEADER_LENGTH + length),
  };
}

/**
 * Finds A5…A5 <packet> 5A. Junk before the sync is skipped; a second A5 run
 * inside a packet means the previous frame was cut off.
 */
export const onbonFrameParser: FrameParser<OnbonPacket> = (bytes): ParseStep<OnbonPacket> => {
  let start = 0;
  while (start < bytes.length && bytes[start] !== ONBON_FRAME_START) start++;
  if (start > 0) return { kind: 'skip', length: start, error: new FrameError('junk', `skipped ${start} byte(s) before an Onbon frame`, start) };
  let body = 0;
  while (body < bytes.length && bytes[body] === ONBON_FRAME_START) body++;
  if (body === bytes.length) return { kind: 'incomplete' };
  let end = body;
  while (end < bytes.length && bytes[end] !== ONBON_FRAME_END && bytes[end] !== ONBON_FRAME_START) end++;
  if (end === bytes.length) {
    if (end - body > MAX_PACKET * 2) {
      return { kind: 'skip', length: end, error: new FrameError('malformed', 'Onbon frame without an end byte', end) };
    }
    return { kind: 'incomplete' };
  }
  if (bytes[end] === ONBON_FRAME_START) {
    return { kind: 'skip', length: end, error: new FrameError('truncated', 'Onbon frame cut off by the next frame', end) };
  }
  const packet = decodeOnbonPacket(bytes.subarray(body, end));
  if (packet instanceof FrameError) return { kind: 'skip', length: end + 1, error: packet };
  return { kind: 'frame', frame: packet, length: end + 1 };
};
