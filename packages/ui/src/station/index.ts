export * from './connect';
export * from './hooks';
