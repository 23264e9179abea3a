export * from './board8a';
export * from './controller';
export * from './kerongCu';
export * from './protocol8a';
export * from './protocolKerong';
export * from './simulator';
export * from './types';
