export * from './health';
export * from './transport/index';
