import { FrameError } from '../transport/errors';
import type { FrameParser, ParseStep } from '../transport/frameReader';

/**
 * Kerong KR-CU lock controllers: frames start with CU_STX 02, end with CU_ETX 03 and
 * a checksum byte (sum of all preceding bytes, low 8 bits).
 *   16-channel: query  02 <board<<4>          30 03 <sum>
 *               unlock 02 <board<<4 | lock-1> 31 03 <sum>
 *   48-channel: the same commands with the board and the lock in two bytes:
 *               02 <board> <lock-1> 3x 03 <sum>
 *   status reply: 02 <addr> 35 <lock bits…> <sensor bits…> 03 <sum>, lock 1 =
 *   bit 0 of the first byte, bit set = locked (door closed).
 * The unlock command has no documented reply, so the driver confirms by query.
 */
export const CU_STX = 0x02;
export const CU_ETX = 0x03;
export const CU_QUERY = 0x30;
export const CU_UNLOCK = 0x31;
export const CU_STATUS_REPLY = 0x35;

export type CuChannels = 16 | 48;

function withSum(bytes: number[]): Buffer {
  const sum = bytes.reduce((a, b) => a + b, 0) & 0xff;
  return Buffer.from([...bytes, sum]);
}

function addressBytes(channels: CuChannels, board: number, lockIndex: number): number[] {
  return channels === 16 ? [((board & 0x0f) << 4) | (lockIndex & 0x0f)] : [board & 0xff, lockIndex & 0xff];
}

export function cuStatusBytes(channels: CuChannels): number {
  return channels / 8;
}

export function encodeCuQuery(channels: CuChannels, board: number): Buffer {
  return withSum([CU_STX, ...addressBytes(channels, board, 0), CU_QUERY, CU_ETX]);
}

export function encodeCuUnlock(channels: CuChannels, board: number, lock: number): Buffer {
  return withSum([CU_STX, ...addressBytes(channels, board, lock - 1), CU_UNLOCK, CU_ETX]);
}

export interface CuCommand {
  board: number;
  lock: number;
  command: number;
}

export function decodeCuCommand(channels: CuChannels, frame: Uint8Array): CuCommand {
  if (channels === 16) {
    const addr = frame[1] ?? 0;
    return { board: addr >> 4, lock: (addr & 0x0f) + 1, command: frame[2] ?? 0 };
  }
  return { board: frame[1] ?? 0, lock: (frame[2] ?? 0) + 1, command: frame[3] ?? 0 };
}

/** Door-open flags (index 0 = lock 1) → a status reply. */
export function encodeCuStatus(channels: CuChannels, board: number, open: readonly boolean[]): Buffer {
  const n = cuStatusBytes(channels);
  const locks = new Array<number>(n).fill(0);
  open.forEach((isOpen, i) => {
    if (!isOpen && i < n * 8) locks[i >> 3] = (locks[i >> 3] ?? 0) | (1 << (i & 7));
  });
  const addr = channels === 16 ? (board & 0x0f) << 4 : board & 0xff;
  return withSum([CU_STX, addr, CU_STATUS_REPLY, ...locks, ...new Array<number>(n).fill(0), CU_ETX]);
}

export interface CuStatus {
  board: number;
  /** index 0 = lock 1 */
  open: boolean[];
}

export function decodeCuStatus(channels: CuChannels, frame: Uint8Array): CuStatus | undefined {
  if (frame[2] !== CU_STATUS_REPLY) return undefined;
  const n = cuStatusBytes(channels);
  const open: boolean[] = [];
  for (let i = 0; i < channels; i++) open.push((((frame[3 + (i >> 3)] ?? 0) >> (i & 7)) & 1) === 0);
  const addr = frame[1] ?? 0;
  return { board: channels === 16 ? addr >> 4 : addr, open: open.slice(0, n * 8) };
}

/** Parser for frames of one known length (commands or status replies). */
export function cuParser(length: number): FrameParser<Uint8Array> {
  return (bytes): ParseStep<Uint8Array> => {
    let start = 0;
    while (start < bytes.length && bytes[start] !== CU_STX) start++;
    if (start > 0) {
      return { kind: 'skip', length: start, error: new FrameError('junk', `skipped ${start} byte(s) before CU_STX`, start) };
    }
    if (bytes.length < length) return { kind: 'incomplete' };
    if (bytes[length - 2] !== CU_ETX) {
      return { kind: 'skip', length: 1, error: new FrameError('malformed', `Kerong frame without CU_ETX at byte ${length - 1}`, length) };
    }
    let sum = 0;
    for (let i = 0; i < length - 1; i++) sum = (sum + (bytes[i] ?? 0)) & 0xff;
    if (sum !== bytes[length - 1]) {
      return { kind: 'skip', length: 1, error: new FrameError('checksum', `Kerong frame checksum mismatch (${length} bytes)`, length) };
    }
    return { kind: 'frame', frame: bytes.slice(0, length), length };
  };
}

export function cuCommandLength(channels: CuChannels): number {
  return channels === 16 ? 5 : 6;
}

export function cuStatusLength(channels: CuChannels): number {
  return 5 + 2 * cuStatusBytes(channels);
}
