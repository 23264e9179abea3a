export * from './printer';
export * from './ipp';
export * from './ippPrinter';
export * from './filePrinter';
export * from './document';
