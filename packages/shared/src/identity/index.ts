export * from './idNumber';
