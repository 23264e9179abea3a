// Helpers other workspaces' tests and benches use (the `@hall/station/testing` entry).
export * from './random';
export * from './clerk';
export * from './deviceKey';
export * from './hall';
export * from '../mesh/testing';
