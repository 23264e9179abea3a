export * from './role';
export * from './run';
export * from './handlers';
export * from './devices';
export * from './station';
export * from './open';
