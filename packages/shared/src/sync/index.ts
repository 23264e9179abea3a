export * from './version';
export * from './uuid';
export * from './hlc';
export * from './mutation';
export * from './change';
export * from './messages';
export * from './state';
export * from './execute';
