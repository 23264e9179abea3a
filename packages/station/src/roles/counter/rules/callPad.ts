import type { EventData } from '@hall/shared';

export type CallPadAction = EventData<'callpad.action'>['action'];

/**
 * A hardware call pad is a code scanner or HID keypad sending short codes. The default
 * map takes the codes cheap pads ship with ("CALL:NEXT", "#01" …) and the plain words;
 * a hall may configure its own. Anything else is not a call-pad press.
 */
export const DEFAULT_CALL_PAD_MAP: Readonly<Record<string, CallPadAction>> = {
  'CALL:NEXT': 'next',
  'CALL:RECALL': 'recall',
  'CALL:MISSED': 'missed',
  'CALL:START': 'start',
  'CALL:FINISH': 'finish',
  'CALL:PAUSE': 'pause',
  'CALL:RESUME': 'resume',
  '#01': 'next',
  '#02': 'recall',
  '#03': 'missed',
  '#04': 'start',
  '#05': 'finish',
  '#06': 'pause',
  '#07': 'resume',
};

export function callPadAction(code: string, map: Readonly<Record<string, CallPadAction>> = DEFAULT_CALL_PAD_MAP): CallPadAction | undefined {
  const key = code.trim().toUpperCase();
  return Object.prototype.hasOwnProperty.call(map, key) ? map[key] : undefined;
}
