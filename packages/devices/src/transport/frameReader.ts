import { FrameError } from './errors';

/**
 * One step of a frame parser over the bytes received so far (always starting at
 * the oldest unconsumed byte). Parsers are pure functions; the reader owns the
 * buffer, so every protocol gets the same junk/partial/corrupt handling.
 */
export type ParseStep<F> =
  | { kind: 'frame'; frame: F; length: number }
  | { kind: 'incomplete' }
  /**
   * Drop `length` bytes (junk before a header, a corrupt frame) and report why;
   * without `error` the bytes are dropped silently (e.g. blank lines).
   */
  | { kind: 'skip'; length: number; error?: FrameError };

export type FrameParser<F> = (bytes: Uint8Array) => ParseStep<F>;

export interface DrainResult<F> {
  frames: F[];
  errors: FrameError[];
  rest: Uint8Array;
}

/** Applies `parser` until it needs more bytes. Never throws on any input. */
export function drainFrames<F>(parser: FrameParser<F>, input: Uint8Array): DrainResult<F> {
  // A plain view, so parsers' slice() copies (Buffer#slice would alias the input).
  const bytes = new Uint8Array(input.buffer, input.byteOffset, input.length);
  const frames: F[] = [];
  const errors: FrameError[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const step = parser(bytes.subarray(offset));
    if (step.kind === 'incomplete') break;
    // A parser that consumes nothing would loop forever: treat as one junk byte.
    const length = Math.max(1, Math.min(step.length, bytes.length - offset));
    if (step.kind === 'frame') frames.push(step.frame);
    else if (step.error) errors.push(step.error);
    offset += length;
  }
  return { frames, errors, rest: bytes.slice(offset) };
}

/**
 * Finds the first occurrence of `header` in `bytes`. Returns the index, or the
 * index where a partial header starts at the very end, or `bytes.length`.
 */
export function findHeader(bytes: Uint8Array, header: Uint8Array): number {
  outer: for (let i = 0; i < bytes.length; i++) {
    for (let j = 0; j < header.length && i + j < bytes.length; j++) {
      if (bytes[i + j] !== header[j]) continue outer;
    }
    return i;
  }
  return bytes.length;
}

/** A `skip` step for the junk before the next header, or undefined when there is none. */
export function skipToHeader(bytes: Uint8Array, header: Uint8Array): ParseStep<never> | undefined {
  const start = findHeader(bytes, header);
  if (start === 0) return undefined;
  return {
    kind: 'skip',
    length: start,
    error: new FrameError('junk', `skipped ${start} byte(s) before a frame header`, start),
  };
}

export function xorChecksum(bytes: Uint8Array, from = 0, to = bytes.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum ^= bytes[i] ?? 0;
  return sum;
}

/** Stateful wrapper around `drainFrames` for a live byte stream. */
export class FrameReader<F> {
  #buffer: Uint8Array = new Uint8Array(0);
  #partialTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly parser: FrameParser<F>,
    private readonly options: {
      partialTimeoutMs?: number;
      onFrame: (frame: F) => void;
      onError: (error: FrameError) => void;
    },
  ) {}

  push(chunk: Uint8Array): void {
    clearTimeout(this.#partialTimer);
    const joined = new Uint8Array(this.#buffer.length + chunk.length);
    joined.set(this.#buffer, 0);
    joined.set(chunk, this.#buffer.length);
    const { frames, errors, rest } = drainFrames(this.parser, joined);
    this.#buffer = rest;
    for (const error of errors) this.options.onError(error);
    for (const frame of frames) this.options.onFrame(frame);
    if (rest.length > 0) {
      this.#partialTimer = setTimeout(() => this.#dropPartial(), this.options.partialTimeoutMs ?? 200);
    }
  }

  /** Drop buffered bytes (before a new request, after a reconnect), reporting a partial frame. */
  reset(): void {
    clearTimeout(this.#partialTimer);
    this.#dropPartial();
  }

  get pending(): number {
    return this.#buffer.length;
  }

  #dropPartial(): void {
    const count = this.#buffer.length;
    if (count === 0) return;
    this.#buffer = new Uint8Array(0);
    this.options.onError(
      new FrameError('truncated', `dropped an incomplete frame of ${count} byte(s)`, count),
    );
  }
}

/**
 * Parser for line-oriented devices (scanners in CDC mode): a frame is the text up
 * to any of `terminators`; empty lines (CR followed by LF) are skipped silently.
 */
export function lineParser(terminators: readonly number[] = [0x0d, 0x0a], maxLength = 4096): FrameParser<Uint8Array> {
  return (bytes) => {
    let end = -1;
    for (let i = 0; i < bytes.length; i++) {
      if (terminators.includes(bytes[i] ?? -1)) {
        end = i;
        break;
      }
    }
    if (end === 0) {
      let run = 0;
      while (run < bytes.length && terminators.includes(bytes[run] ?? -1)) run++;
      return { kind: 'skip', length: run };
    }
    if (end < 0) {
      if (bytes.length > maxLength) {
        return {
          kind: 'skip',
          length: bytes.length,
          error: new FrameError('malformed', `line longer than ${maxLength} bytes without a terminator`, bytes.length),
        };
      }
      return { kind: 'incomplete' };
    }
    return { kind: 'frame', frame: bytes.slice(0, end), length: end + 1 };
  };
}
