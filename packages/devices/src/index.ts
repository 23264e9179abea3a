export * from './health';
export * from './transport/index';
export * from './idcard/index';
export * from './testing/index';
export * from './locker/index';
export * from './scanner/index';
export * from './screen/index';
