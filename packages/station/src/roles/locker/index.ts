export * from './audit';
export * from './role';
export * from './serverLink';
export * from './station';
