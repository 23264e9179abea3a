import { describe, expect, it } from 'vitest';
import { CRASH_WINDOW_MS, isBlockedShortcut, MAX_CRASHES, recordCrash, type KeyInput } from './lockdown';

function key(k: string, mods: Partial<KeyInput> = {}): KeyInput {
  return { type: 'keyDown', key: k, control: false, meta: false, alt: false, shift: false, ...mods };
}

describe('isBlockedShortcut', () => {
  it.each([
    ['F5', key('F5')],
    ['F12', key('F12')],
    ['F11', key('F11')],
    ['Ctrl+R', key('r', { control: true })],
    ['Cmd+R', key('R', { meta: true })],
    ['Ctrl+W', key('w', { control: true })],
    ['Ctrl+P', key('p', { control: true })],
    ['Ctrl+Shift+I', key('I', { control: true, shift: true })],
    ['Alt+F4', key('F4', { alt: true })],
  ])('blocks %s', (_name, input) => expect(isBlockedShortcut(input)).toBe(true));

  it.each([
    ['a letter', key('r')],
    ['a capital letter', key('I', { shift: true })],
    ['Ctrl+C (copy)', key('c', { control: true })],
    ['Enter', key('Enter')],
    ['a key release', { ...key('F5'), type: 'keyUp' }],
  ])('lets %s through', (_name, input) => expect(isBlockedShortcut(input)).toBe(false));
});

describe('recordCrash', () => {
  it('reloads until crashes pile up within the window, then relaunches', () => {
    let crashes: number[] = [];
    for (let i = 0; i < MAX_CRASHES; i++) {
      const outcome = recordCrash(crashes, 1_000 + i);
      expect(outcome.relaunch).toBe(false);
      crashes = outcome.crashes;
    }
    expect(recordCrash(crashes, 2_000).relaunch).toBe(true);
  });

  it('forgets crashes older than the window', () => {
    const old = Array.from({ length: MAX_CRASHES }, (_, i) => i);
    expect(recordCrash(old, CRASH_WINDOW_MS + MAX_CRASHES)).toEqual({ crashes: [CRASH_WINDOW_MS + MAX_CRASHES], relaunch: false });
  });
});
