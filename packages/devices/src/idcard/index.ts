export * from './cardFile';
export * from './codes';
export * from './frame';
export * from './photo';
export * from './samReader';
export * from './simulator';
export * from './text';
export * from './types';
