export * from './blacklist';
export * from './citizens';
export * from './kioskDb';
export * from './opening';
export * from './role';
export * from './slips';
export * from './followLink';
export * from './centralLookups';
