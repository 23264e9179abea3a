export * from './events';
export * from './layout';
export * from './parcel';
export * from './api';
