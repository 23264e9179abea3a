export * from './blacklist';
export * from './citizens';
export * from './kioskDb';
export * from './repository';
export * from './opening';
export * from './role';
export * from './slips';
export * from './followLink';
