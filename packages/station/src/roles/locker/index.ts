export * from './audit';
export * from './role';
export * from './serverLink';
export * from './station';
// For other roles that accept residence codes (kiosk, counter): the same offline verifier.
export { ed25519Check } from './crypto';
export { KeyCache, NonceLedger } from './keys';
export * from './main';
export * from './definition';
export * from './devices';
