export * from './decisionTree';
export * from './validateTree';
export * from './search';
