import { FrameError } from '../transport/errors';
import type { FrameParser, ParseStep } from '../transport/frameReader';
import { xorChecksum } from '../transport/frameReader';

/**
 * The common "8A/80" lock-board protocol (5-byte frames, XOR of the preceding
 * bytes as the last byte):
 *   open one      8A <board> <lock> 11 <xor>   → 8A <board> <lock> <state> <xor>
 *   open all      8A <board> 00     11 <xor>
 *   query one     80 <board> <lock> 33 <xor>   → 80 <board> <lock> <state> <xor>
 *   query all     80 <board> 00     33 <xor>   → 80 <board> <bitmap…> 33 <xor>
 * Boards differ in what <state> means (lock feedback wired "closed = shorted" or
 * "open = shorted") and in the bitmap size and byte order; both are options.
 */
export const LOCK_OPEN_HEADER = 0x8a;
export const LOCK_QUERY_HEADER = 0x80;
export const LOCK_OPEN_FUNCTION = 0x11;
export const LOCK_QUERY_FUNCTION = 0x33;
/** State byte value for the "shorted" feedback contact. */
export const LOCK_STATE_SET = 0x11;
export const LOCK_STATE_CLEAR = 0x00;

export interface Board8aOptions {
  /** Which feedback means closed: `closed-is-set` → 0x11/bit 1 = door closed. */
  polarity: 'closed-is-set' | 'open-is-set';
  /** Bytes in the query-all bitmap (3 for 24 locks, 6 for 48). */
  bitmapBytes: number;
  /** `high-first`: the first bitmap byte holds the highest locks (lock 1 = LSB of the last byte). */
  bitmapOrder: 'high-first' | 'low-first';
}

export const DEFAULT_BOARD_8A: Board8aOptions = { polarity: 'closed-is-set', bitmapBytes: 3, bitmapOrder: 'high-first' };

function withXor(bytes: number[]): Buffer {
  const frame = Buffer.from([...bytes, 0]);
  frame[frame.length - 1] = xorChecksum(frame, 0, frame.length - 1);
  return frame;
}

export function encodeLockOpen(board: number, lock: number): Buffer {
  return withXor([LOCK_OPEN_HEADER, board, lock, LOCK_OPEN_FUNCTION]);
}

export function encodeLockQuery(board: number, lock: number): Buffer {
  return withXor([LOCK_QUERY_HEADER, board, lock, LOCK_QUERY_FUNCTION]);
}

export function encodeLockStateReply(header: number, board: number, lock: number, state: number): Buffer {
  return withXor([header, board, lock, state]);
}

export function lockStateByte(open: boolean, options: Board8aOptions): number {
  const set = options.polarity === 'closed-is-set' ? !open : open;
  return set ? LOCK_STATE_SET : LOCK_STATE_CLEAR;
}

export function doorOpenFromState(state: number, options: Board8aOptions): boolean | undefined {
  if (state !== LOCK_STATE_SET && state !== LOCK_STATE_CLEAR) return undefined;
  const set = state === LOCK_STATE_SET;
  return options.polarity === 'closed-is-set' ? !set : set;
}

/** Door-open flags (index 0 = lock 1) → bitmap bytes in the board's order. */
export function encodeBitmap(open: readonly boolean[], options: Board8aOptions): number[] {
  const bytes = new Array<number>(options.bitmapBytes).fill(0);
  open.forEach((isOpen, i) => {
    const bit = options.polarity === 'closed-is-set' ? !isOpen : isOpen;
    if (!bit || i >= options.bitmapBytes * 8) return;
    const byteIndex = options.bitmapOrder === 'low-first' ? i >> 3 : options.bitmapBytes - 1 - (i >> 3);
    bytes[byteIndex] = (bytes[byteIndex] ?? 0) | (1 << (i & 7));
  });
  return bytes;
}

export function decodeBitmap(bytes: Uint8Array, lockCount: number, options: Board8aOptions): boolean[] {
  const open: boolean[] = [];
  for (let i = 0; i < lockCount; i++) {
    const byteIndex = options.bitmapOrder === 'low-first' ? i >> 3 : options.bitmapBytes - 1 - (i >> 3);
    const bit = (((bytes[byteIndex] ?? 0) >> (i & 7)) & 1) === 1;
    open.push(options.polarity === 'closed-is-set' ? !bit : bit);
  }
  return open;
}

export function encodeBitmapReply(board: number, open: readonly boolean[], options: Board8aOptions): Buffer {
  return withXor([LOCK_QUERY_HEADER, board, ...encodeBitmap(open, options), LOCK_QUERY_FUNCTION]);
}

/**
 * Frame parser for a fixed frame length (5 for commands and single replies,
 * bitmapBytes + 4 for query-all replies). Skips junk up to a header byte and
 * drops frames whose XOR does not match.
 */
export function lockFrameParser(length: () => number): FrameParser<Uint8Array> {
  return (bytes): ParseStep<Uint8Array> => {
    let start = 0;
    while (start < bytes.length && bytes[start] !== LOCK_OPEN_HEADER && bytes[start] !== LOCK_QUERY_HEADER) start++;
    if (start > 0) {
      return { kind: 'skip', length: start, error: new FrameError('junk', `skipped ${start} byte(s) before a lock-board header`, start) };
    }
    const total = length();
    if (bytes.length < total) return { kind: 'incomplete' };
    if (xorChecksum(bytes, 0, total - 1) !== bytes[total - 1]) {
      return { kind: 'skip', length: 1, error: new FrameError('checksum', `lock-board frame XOR mismatch (${total} bytes)`, total) };
    }
    return { kind: 'frame', frame: bytes.slice(0, total), length: total };
  };
}
