export * from './onbonCommands';
export * from './onbonFrame';
export * from './onbonScreen';
export * from './simulator';
export * from './types';
