export * from './wav';
export * from './phrases';
export * from './espeak';
export * from './clipLibrary';
export * from './announcer';
