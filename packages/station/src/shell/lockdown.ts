/** The part of Electron's before-input-event Input the lockdown reads. */
export interface KeyInput {
  readonly type: string;
  readonly key: string;
  readonly control: boolean;
  readonly meta: boolean;
  readonly alt: boolean;
  readonly shift: boolean;
}

const RELOAD_OR_CLOSE = new Set(['r', 'w', 'q', 'p']);
const DEVTOOLS = new Set(['i', 'j', 'c']);

/**
 * Keys a citizen at an unattended screen must not use: reload, close, print, devtools and
 * fullscreen toggles (a USB keyboard plugged into a kiosk has them all). Text input and
 * the kiosk's own on-screen keys stay untouched.
 */
export function isBlockedShortcut(input: KeyInput): boolean {
  if (input.type !== 'keyDown') return false;
  const key = input.key.toLowerCase();
  if (key === 'f5' || key === 'f11' || key === 'f12') return true;
  if (input.alt && key === 'f4') return true;
  if (!(input.control || input.meta)) return false;
  return RELOAD_OR_CLOSE.has(key) || (input.shift && DEVTOOLS.has(key));
}

/** Crashes within this window count towards a relaunch. */
export const CRASH_WINDOW_MS = 60_000;
/** More crashes than this within the window: reloading is not helping, restart the app. */
export const MAX_CRASHES = 3;

/** Records a renderer crash at `now`; says whether the app should relaunch instead of reloading. */
export function recordCrash(crashes: readonly number[], now: number): { crashes: number[]; relaunch: boolean } {
  const recent = [...crashes.filter((t) => now - t < CRASH_WINDOW_MS), now];
  return { crashes: recent, relaunch: recent.length > MAX_CRASHES };
}
