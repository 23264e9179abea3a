export * from './contract';
export * from './wire';
export * from './client';
export * from './display';
export * from './counterIdentity';
export * from './hallLink';
export * from './browserAuth';
export * from './caseProgress';
