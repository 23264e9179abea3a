/**
 * What cross-package tests and benches need of the central API beyond its root entry: a real
 * server on a real database, fixtures, and the few internals they check against.
 */
export * from './server';
export * from './fixture';
export * from './databases';
export { citizenKey } from '../residence-code/keys';
export { hallLanKeyRing } from '../lan-keys/keys';
export { hallDevices } from '../phone/testDevices';
export { forgetCatalogue } from '../sync/catalogue';
export { statsPage } from '../stats/index';
export { listHalls } from '../store/halls';
