export * from './config/index';
export * from './core';
export * from './store/store';
export * from './sync/client';
export * from './sync/engine';
export * from './host/index';
export * from './api';
export * from './runtime';
export type { MeshKey, MeshKeyRing } from './mesh/types';
