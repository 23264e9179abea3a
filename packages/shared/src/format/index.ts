export * from './mask';
export * from './ticket';
