export * from './host';
export * from './dispatch';
export * from './static';
export * from './access';
