import type { z } from 'zod';
import type { StationRole } from '../../sync/messages';
import { COMMON_EVENTS, COMMON_METHODS } from './common';
import { COUNTER_EVENTS, COUNTER_METHODS } from './counter';
import { DISPLAY_EVENTS, DISPLAY_METHODS } from './display';
import { KIOSK_EVENTS, KIOSK_METHODS } from './kiosk';
import { LOCKER_EVENTS, LOCKER_METHODS } from './locker';

export * from './common';
export * from './counter';
export * from './display';
export * from './kiosk';
export * from './locker';

/**
 * The station API: what a renderer may ask of its station and what the station tells it,
 * in slices: `common` (every station) and one slice per role. A station answers the common
 * slice and its role's, and both transports (Electron IPC, browser-mode WebSocket) refuse
 * any other method. A method lives in exactly one slice (contract.test.ts checks it).
 * Counter methods act on the station's own counter (from its config), never on a counter
 * id the renderer sends.
 */
export const ROLE_METHODS = {
  kiosk: { ...COMMON_METHODS, ...KIOSK_METHODS },
  counter: { ...COMMON_METHODS, ...COUNTER_METHODS },
  display: { ...COMMON_METHODS, ...DISPLAY_METHODS },
  locker: { ...COMMON_METHODS, ...LOCKER_METHODS },
} as const satisfies Record<StationRole, object>;

/** The events a station of each role may push: the common ones and its role's. */
export const ROLE_EVENTS = {
  kiosk: { ...COMMON_EVENTS, ...KIOSK_EVENTS },
  counter: { ...COMMON_EVENTS, ...COUNTER_EVENTS },
  display: { ...COMMON_EVENTS, ...DISPLAY_EVENTS },
  locker: { ...COMMON_EVENTS, ...LOCKER_EVENTS },
} as const satisfies Record<StationRole, object>;

/** Every method of every slice, for code that serves or validates any role (the transports). */
export const STATION_METHODS = { ...COMMON_METHODS, ...KIOSK_METHODS, ...COUNTER_METHODS, ...DISPLAY_METHODS, ...LOCKER_METHODS } as const;
export const STATION_EVENTS = { ...COMMON_EVENTS, ...KIOSK_EVENTS, ...COUNTER_EVENTS, ...DISPLAY_EVENTS, ...LOCKER_EVENTS } as const;

export type StationMethod = keyof typeof STATION_METHODS;
export type MethodParams<M extends StationMethod> = z.input<(typeof STATION_METHODS)[M]['params']>;
export type MethodParsedParams<M extends StationMethod> = z.output<(typeof STATION_METHODS)[M]['params']>;
export type MethodResult<M extends StationMethod> = z.output<(typeof STATION_METHODS)[M]['result']>;

export type StationEvent = keyof typeof STATION_EVENTS;
export type EventData<E extends StationEvent> = z.output<(typeof STATION_EVENTS)[E]>;

/** The methods and events of one role's slice (common included). */
export type RoleMethod<R extends StationRole> = keyof (typeof ROLE_METHODS)[R] & StationMethod;
export type RoleEvent<R extends StationRole> = keyof (typeof ROLE_EVENTS)[R] & StationEvent;

export function isStationMethod(name: string): name is StationMethod {
  return Object.prototype.hasOwnProperty.call(STATION_METHODS, name);
}

/** Whether a station of `role` answers `method` (the check both transports make before validating params). */
export function isMethodOfRole<R extends StationRole>(role: R, method: string): method is RoleMethod<R> {
  return Object.prototype.hasOwnProperty.call(ROLE_METHODS[role], method);
}

export function methodsForRole<R extends StationRole>(role: R): RoleMethod<R>[] {
  return Object.keys(ROLE_METHODS[role]) as RoleMethod<R>[];
}

type Handler<M extends StationMethod> = (params: MethodParsedParams<M>) => Promise<MethodResult<M>> | MethodResult<M>;

/** The implementation a station provides: one async function per method its role allows. */
export type StationApiHandlers = { [M in StationMethod]?: Handler<M> };

/** One role's handlers, typed to its slice only. */
export type RoleApiHandlers<R extends StationRole> = { [M in RoleMethod<R>]?: Handler<M> };

/** What `window.station` (Electron preload) and the WebSocket client both expose to renderers. */
export interface StationBridge {
  call<M extends StationMethod>(method: M, params: MethodParams<M>): Promise<MethodResult<M>>;
  on<E extends StationEvent>(event: E, listener: (data: EventData<E>) => void): () => void;
}

/**
 * A bridge as one role's renderer sees it: only its slice can be called or listened to, so
 * a kiosk screen calling a counter method fails to compile rather than at the station.
 */
export interface RoleBridge<R extends StationRole> {
  call<M extends RoleMethod<R>>(method: M, params: MethodParams<M>): Promise<MethodResult<M>>;
  on<E extends RoleEvent<R>>(event: E, listener: (data: EventData<E>) => void): () => void;
}
