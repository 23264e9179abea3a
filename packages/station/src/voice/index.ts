export * from './wav';
export * from './rules/phrases';
export * from './espeak';
export * from './clipLibrary';
export * from './announcer';
