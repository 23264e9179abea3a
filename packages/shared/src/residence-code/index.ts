export * from './base64url';
export * from './bytes';
export * from './delegation';
export * from './keySet';
export * from './layout';
export * from './personal';
export * from './verify';
