import { FrameError } from '../transport/errors';
import type { FrameParser, ParseStep } from '../transport/frameReader';

/**
 * Kerong KR-CU lock controllers: frames start with STX 02, end with ETX 03 and
 * a checksum byte (sum of all preceding bytes, low 8 bits).
 *   16-channel (KR-CU16): board and lock share one byte, board<<4 | lock-1
 *     query   02 <board<<4>          30 03 <sum>
 *     unlock  02 <board<<4 | lock-1> 31 03 <sum>      (no reply)
 *     status  02 <addr> 35 <lock bits ×2> <sensor bits ×2> 03 <sum>
 *   48-channel (KR-CU48): board and lock in separate bytes
 *     query   02 <board> 00       60 03 <sum>
 *     unlock  02 <board> <lock-1> 61 03 <sum>  → 02 <board> <lock-1> 75 03 <sum>
 *     status  02 <board> 00 75 <lock bits ×6> 03 <sum>
 * Lock 1 is bit 0 of the first status byte; a set bit means locked (closed).
 */
export const CU_STX = 0x02;
export const CU_ETX = 0x03;

export type CuChannels = 16 | 48;

const CODES = {
  16: { query: 0x30, unlock: 0x31, ok: 0x35 },
  48: { query: 0x60, unlock: 0x61, ok: 0x75 },
} as const;

function withSum(bytes: number[]): Buffer {
  const sum = bytes.reduce((a, b) => a + b, 0) & 0xff;
  return Buffer.from([...bytes, sum]);
}

function command(channels: CuChannels, board: number, lockIndex: number, code: number): Buffer {
  return channels === 16
    ? withSum([CU_STX, ((board & 0x0f) << 4) | (lockIndex & 0x0f), code, CU_ETX])
    : withSum([CU_STX, board & 0xff, lockIndex & 0xff, code, CU_ETX]);
}

export function cuStatusBytes(channels: CuChannels): number {
  return channels / 8;
}

export function encodeCuQuery(channels: CuChannels, board: number): Buffer {
  return command(channels, board, 0, CODES[channels].query);
}

export function encodeCuUnlock(channels: CuChannels, board: number, lock: number): Buffer {
  return command(channels, board, lock - 1, CODES[channels].unlock);
}

export type CuCommandKind = 'query' | 'unlock' | 'unknown';

export interface CuCommand {
  board: number;
  lock: number;
  kind: CuCommandKind;
}

export function decodeCuCommand(channels: CuChannels, frame: Uint8Array): CuCommand {
  const [board, lock, code] =
    channels === 16
      ? [(frame[1] ?? 0) >> 4, ((frame[1] ?? 0) & 0x0f) + 1, frame[2]]
      : [frame[1] ?? 0, (frame[2] ?? 0) + 1, frame[3]];
  const kind = code === CODES[channels].query ? 'query' : code === CODES[channels].unlock ? 'unlock' : 'unknown';
  return { board, lock, kind };
}

/** Door-open flags (index 0 = lock 1) → a status reply. */
export function encodeCuStatus(channels: CuChannels, board: number, open: readonly boolean[]): Buffer {
  const n = cuStatusBytes(channels);
  const locks = new Array<number>(n).fill(0);
  open.forEach((isOpen, i) => {
    if (!isOpen && i < n * 8) locks[i >> 3] = (locks[i >> 3] ?? 0) | (1 << (i & 7));
  });
  if (channels === 16) {
    return withSum([CU_STX, (board & 0x0f) << 4, CODES[16].ok, ...locks, ...new Array<number>(n).fill(0), CU_ETX]);
  }
  return withSum([CU_STX, board & 0xff, 0x00, CODES[48].ok, ...locks, CU_ETX]);
}

/** The 48-channel board's acknowledgement of an unlock command. */
export function encodeCuUnlockAck(board: number, lock: number): Buffer {
  return withSum([CU_STX, board & 0xff, (lock - 1) & 0xff, CODES[48].ok, CU_ETX]);
}

export function isCuUnlockAck(frame: Uint8Array, board: number, lock: number): boolean {
  return frame.length === 6 && frame[1] === board && frame[2] === lock - 1 && frame[3] === CODES[48].ok;
}

export interface CuStatus {
  board: number;
  /** index 0 = lock 1 */
  open: boolean[];
}

export function decodeCuStatus(channels: CuChannels, frame: Uint8Array): CuStatus | undefined {
  const first = channels === 16 ? 3 : 4;
  const code = channels === 16 ? frame[2] : frame[3];
  if (code !== CODES[channels].ok || frame.length !== cuStatusLength(channels)) return undefined;
  const open: boolean[] = [];
  for (let i = 0; i < channels; i++) open.push((((frame[first + (i >> 3)] ?? 0) >> (i & 7)) & 1) === 0);
  const board = channels === 16 ? (frame[1] ?? 0) >> 4 : (frame[1] ?? 0);
  return { board, open };
}

/** Parser for frames of a known length (which depends on the pending request). */
export function cuParser(length: () => number): FrameParser<Uint8Array> {
  return (bytes): ParseStep<Uint8Array> => {
    let start = 0;
    while (start < bytes.length && bytes[start] !== CU_STX) start++;
    if (start > 0) {
      return { kind: 'skip', length: start, error: new FrameError('junk', `skipped ${start} byte(s) before STX`, start) };
    }
    const total = length();
    if (bytes.length < total) return { kind: 'incomplete' };
    if (bytes[total - 2] !== CU_ETX) {
      return { kind: 'skip', length: 1, error: new FrameError('malformed', `Kerong frame without ETX at byte ${total - 1}`, total) };
    }
    let sum = 0;
    for (let i = 0; i < total - 1; i++) sum = (sum + (bytes[i] ?? 0)) & 0xff;
    if (sum !== bytes[total - 1]) {
      return { kind: 'skip', length: 1, error: new FrameError('checksum', `Kerong frame checksum mismatch (${total} bytes)`, total) };
    }
    return { kind: 'frame', frame: bytes.slice(0, total), length: total };
  };
}

export function cuCommandLength(channels: CuChannels): number {
  return channels === 16 ? 5 : 6;
}

export function cuStatusLength(channels: CuChannels): number {
  return channels === 16 ? 5 + 2 * cuStatusBytes(16) : 6 + cuStatusBytes(48);
}

export const CU_UNLOCK_ACK_LENGTH = 6;
