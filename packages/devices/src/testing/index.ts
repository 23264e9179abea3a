export * from './deviceSimulator';
export * from './ptyHarness';
export * from './ptyPair';
export * from './cups';
// Made-up cards and timing probes for tests and benches of other workspaces (the `@hall/devices/testing` entry).
export * from '../idcard/testCards';
export * from '../idcard/bench';
export * from './freePort';
