export * from './deviceSimulator';
export * from './ptyHarness';
export * from './ptyPair';
export * from './cups';
