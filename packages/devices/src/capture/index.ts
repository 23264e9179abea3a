export * from './sane';
export * from './pdf';
export * from './deskew';
