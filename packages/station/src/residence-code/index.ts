// Signed codes (residence, deposit, staff) verified offline at any station.
export * from './keys';
export * from './personal';
export * from './refresh';
export * from './repository';
export * from './signature';
export * from './verifier';
