export * from './citizens';
export * from './opening';
export * from './role';
export * from './slips';
