export * from './clock';
export * from './setup';
export * from './state';
export * from './events';
export * from './commands';
export type { Decision, QueueRejection, QueueRejectionCode } from './rejections';
export * from './ordering';
export * from './engine';
export * from './estimate';
