// Helpers other workspaces' tests and benches use (the `@hall/station/testing` entry).
export * from './random';
