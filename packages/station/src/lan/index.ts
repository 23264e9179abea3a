export * from './message';
export * from './config';
export * from './sender';
export * from './receiver';
export * from './feed';
