export * from './domain/index';
export * from './identity/index';
export * from './format/index';
export * from './catalogue/index';
export * from './sync/index';
export * from './station-api/index';
export * from './queue/index';
