export * from './host';
export * from './dispatch';
export * from './static';
