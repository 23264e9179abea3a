export * from './schema';
export * from './load';
export * from './developer';
export * from './citizenKey';
export * from './lanKeys';
export * from './environment';
