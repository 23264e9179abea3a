// Moved to the station's residence-code module, shared with the counter; kept for the locker's imports.
export { KeyCache, NonceLedger } from '../../residence-code/keys';
export { ResidenceCodeRepository } from '../../residence-code/repository';
