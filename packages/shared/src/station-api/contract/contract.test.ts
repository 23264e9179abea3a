import { describe, expect, it } from 'vitest';
import { StationRoleSchema } from '../../sync/messages';
import { COMMON_EVENTS, COMMON_METHODS } from './common';
import { COUNTER_EVENTS, COUNTER_METHODS } from './counter';
import { DISPLAY_EVENTS, DISPLAY_METHODS } from './display';
import { KIOSK_EVENTS, KIOSK_METHODS } from './kiosk';
import { LOCKER_EVENTS, LOCKER_METHODS } from './locker';
import { isMethodOfRole, methodsForRole, STATION_EVENTS, STATION_METHODS } from './index';

const methodSlices = [COMMON_METHODS, KIOSK_METHODS, COUNTER_METHODS, DISPLAY_METHODS, LOCKER_METHODS];
const eventSlices = [COMMON_EVENTS, KIOSK_EVENTS, COUNTER_EVENTS, DISPLAY_EVENTS, LOCKER_EVENTS];

describe('station contract slices', () => {
  it('declares every method and event in exactly one slice (a spread would silently let one slice override another)', () => {
    const methods = methodSlices.flatMap((slice) => Object.keys(slice));
    expect(new Set(methods).size).toBe(methods.length);
    expect(methods.length).toBe(Object.keys(STATION_METHODS).length);
    const events = eventSlices.flatMap((slice) => Object.keys(slice));
    expect(new Set(events).size).toBe(events.length);
    expect(events.length).toBe(Object.keys(STATION_EVENTS).length);
  });

  it('gives each role the common slice and its own, nothing of another role', () => {
    for (const role of StationRoleSchema.options) {
      for (const method of Object.keys(COMMON_METHODS)) expect(isMethodOfRole(role, method)).toBe(true);
    }
    expect(methodsForRole('kiosk')).toContain('kiosk.issue');
    expect(methodsForRole('kiosk')).toContain('ticket.issue');
    expect(isMethodOfRole('kiosk', 'counter.callNext')).toBe(false);
    expect(isMethodOfRole('counter', 'kiosk.issue')).toBe(false);
    expect(isMethodOfRole('display', 'locker.scan')).toBe(false);
    expect(isMethodOfRole('locker', 'display.state')).toBe(false);
  });

  it('has no methods that no screen calls', () => {
    for (const gone of ['kiosk.check', 'locker.deposit', 'print.get', 'counter.close', 'handoff.items']) {
      expect(Object.keys(STATION_METHODS)).not.toContain(gone);
    }
    expect(isMethodOfRole('counter', 'case.submit')).toBe(false);
  });
});
