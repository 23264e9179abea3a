export * from './hidPos';
export * from './hidScanner';
export * from './keyboardWedge';
export * from './serialScanner';
export * from './simulator';
export * from './types';
