// The hardened Electron shell every station app's main process goes through.
export { createShell, EVENT_CHANNEL, REQUEST_CHANNEL, type Shell, type ShellElectron, type ShellOptions } from './shell';
export { electronShell } from './electronAdapter';
export { stationAddressesOf, type CspNeeds } from './csp';
export { appOriginOf, isAppUrl, type AppOrigin } from './origin';
export { registerStationIdleHook, STATION_IDLE_HOOK } from './idleHook';
