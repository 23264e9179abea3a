export * from './role';
export * from './handlers';
export * from './clerkAuth';
export * from './counterDb';
export * from './callPad';
export * from './depositDelegation';
export * from './standing';
export * from './caseSteps';
