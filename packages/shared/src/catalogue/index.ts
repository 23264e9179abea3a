export * from './decisionTree';
export * from './validateTree';
export * from './search';
export * from './ask';
export * from './askQuality';
export * from './sharedMaterials';
export * from './serviceDiff';
