export * from './connect';
export * from './hooks';
export * from './ipc';
