/**
 * Keyboard-wedge scanners type the code as a USB HID keyboard. Pure functions:
 * boot-protocol reports → key presses → characters, and a classifier that tells
 * a scanner burst (keys milliseconds apart, ended by Enter) from a person typing.
 */

/** US layout: usage code → [unshifted, shifted]. */
const KEYS = new Map<number, readonly [string, string]>();
'abcdefghijklmnopqrstuvwxyz'.split('').forEach((c, i) => KEYS.set(0x04 + i, [c, c.toUpperCase()]));
'1234567890'.split('').forEach((c, i) => KEYS.set(0x1e + i, [c, '!@#$%^&*()'[i] ?? c]));
const PUNCTUATION: [number, string, string][] = [
  [0x2c, ' ', ' '], [0x2d, '-', '_'], [0x2e, '=', '+'], [0x2f, '[', '{'], [0x30, ']', '}'], [0x31, '\\', '|'],
  [0x33, ';', ':'], [0x34, "'", '"'], [0x35, '`', '~'], [0x36, ',', '<'], [0x37, '.', '>'], [0x38, '/', '?'],
  [0x2b, '\t', '\t'],
  // Keypad (scanners in "numeric keypad" mode)
  [0x54, '/', '/'], [0x55, '*', '*'], [0x56, '-', '-'], [0x57, '+', '+'], [0x63, '.', '.'],
];
for (const [code, plain, shifted] of PUNCTUATION) KEYS.set(code, [plain, shifted]);
'1234567890'.split('').forEach((c, i) => KEYS.set(0x59 + i, [c, c]));

const ENTER_CODES = new Set([0x28, 0x58]);
const SHIFT_BITS = 0x02 | 0x20;

export type KeyPress = { key: 'enter'; at: number } | { key: 'char'; char: string; at: number };

/** One key's usage code with the modifier byte → a press, or undefined for keys we ignore. */
export function usageToKey(usage: number, modifiers: number, at: number): KeyPress | undefined {
  if (ENTER_CODES.has(usage)) return { key: 'enter', at };
  const entry = KEYS.get(usage);
  if (!entry) return undefined;
  return { key: 'char', char: (modifiers & SHIFT_BITS) !== 0 ? entry[1] : entry[0], at };
}

/**
 * Turns successive 8-byte boot keyboard reports into key presses: a key counts
 * when it appears in a report and was not held in the previous one, so held keys
 * and key-up reports produce nothing. Returns the presses and the new held set.
 */
export function decodeKeyboardReport(
  report: Uint8Array,
  held: ReadonlySet<number>,
  at: number,
): { presses: KeyPress[]; held: Set<number> } {
  const modifiers = report[0] ?? 0;
  const now = new Set<number>();
  const presses: KeyPress[] = [];
  for (let i = 2; i < Math.min(report.length, 8); i++) {
    const usage = report[i] ?? 0;
    // 0x01 = rollover error: the report carries no key information.
    if (usage === 0x01) return { presses: [], held: new Set(held) };
    if (usage === 0) continue;
    now.add(usage);
    if (held.has(usage)) continue;
    const press = usageToKey(usage, modifiers, at);
    if (press) presses.push(press);
  }
  return { presses, held: now };
}

export interface WedgeClassifierOptions {
  /** Largest gap between keys of one scanner burst. Scanners type at 1–10 ms per key. */
  maxScanGapMs: number;
  /** Shorter bursts are not scans (a person tapping two keys quickly). */
  minScanLength: number;
}

export const DEFAULT_WEDGE_CLASSIFIER: WedgeClassifierOptions = { maxScanGapMs: 30, minScanLength: 4 };

export type WedgeInput = { kind: 'scan'; code: string } | { kind: 'typing'; text: string };

/**
 * Splits key presses at Enter and classifies each segment: a scan when it is long
 * enough and every gap between its keys (and before the Enter) is within the
 * threshold; typing otherwise. Text after the last Enter is returned as `rest`.
 */
export function classifyKeys(
  presses: readonly KeyPress[],
  options: WedgeClassifierOptions = DEFAULT_WEDGE_CLASSIFIER,
): { inputs: WedgeInput[]; rest: KeyPress[] } {
  const inputs: WedgeInput[] = [];
  let segment: KeyPress[] = [];
  for (const press of presses) {
    if (press.key === 'char') {
      segment.push(press);
      continue;
    }
    if (segment.length > 0) inputs.push(classifySegment(segment, press.at, options));
    segment = [];
  }
  return { inputs, rest: segment };
}

function classifySegment(segment: KeyPress[], enterAt: number, options: WedgeClassifierOptions): WedgeInput {
  const text = segment.map((p) => (p.key === 'char' ? p.char : '')).join('');
  const times = [...segment.map((p) => p.at), enterAt];
  let burst = segment.length >= options.minScanLength;
  for (let i = 1; burst && i < times.length; i++) {
    if ((times[i] ?? 0) - (times[i - 1] ?? 0) > options.maxScanGapMs) burst = false;
  }
  return burst ? { kind: 'scan', code: text } : { kind: 'typing', text };
}

/**
 * Live counterpart of `classifyKeys`: feed presses as they come; segments are
 * classified at Enter. A segment left without Enter for longer than
 * `abandonAfterMs` is reported as typing when the next press arrives.
 */
export class WedgeAssembler {
  #pending: KeyPress[] = [];

  constructor(
    private readonly options: WedgeClassifierOptions & { abandonAfterMs?: number } = DEFAULT_WEDGE_CLASSIFIER,
  ) {}

  push(press: KeyPress): WedgeInput[] {
    const out: WedgeInput[] = [];
    const last = this.#pending.at(-1);
    const abandonAfterMs = this.options.abandonAfterMs ?? 1000;
    if (last && press.at - last.at > abandonAfterMs) {
      out.push({ kind: 'typing', text: this.#pending.map((p) => (p.key === 'char' ? p.char : '')).join('') });
      this.#pending = [];
    }
    this.#pending.push(press);
    const { inputs, rest } = classifyKeys(this.#pending, this.options);
    this.#pending = rest;
    return [...out, ...inputs];
  }
}

const REVERSE = new Map<string, { usage: number; shift: boolean }>();
for (const [usage, [plain, shifted]] of KEYS) {
  if (usage >= 0x54) continue;
  if (!REVERSE.has(plain)) REVERSE.set(plain, { usage, shift: false });
  if (!REVERSE.has(shifted)) REVERSE.set(shifted, { usage, shift: true });
}

/**
 * Boot reports a wedge scanner sends for `text` + Enter: key-down then key-up
 * for each character (simulators and tests). Characters with no US key throw.
 */
export function encodeKeyboardReports(text: string): Uint8Array[] {
  const reports: Uint8Array[] = [];
  for (const char of [...text, '\n']) {
    const key = char === '\n' ? { usage: 0x28, shift: false } : REVERSE.get(char);
    if (!key) throw new RangeError(`no US keyboard key types ${JSON.stringify(char)}`);
    reports.push(Uint8Array.of(key.shift ? 0x02 : 0, 0, key.usage, 0, 0, 0, 0, 0));
    reports.push(new Uint8Array(8));
  }
  return reports;
}
