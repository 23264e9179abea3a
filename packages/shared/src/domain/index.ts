export * from './common';
export * from './hall';
export * from './catalogue';
export * from './form';
export * from './queue';
export * from './case';
export * from './permissions';
export * from './handoff';
