export * from './board';
export * from './callStore';
export * from './config';
export * from './signs';
export * from './role';
export * from './definition';
