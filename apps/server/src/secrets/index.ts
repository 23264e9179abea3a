export { DataKeyError, DataKeyring, isSealed, newDataKey, parseDataKeys, type DataKey } from './keyring';
export { dataKeysFromEnv, defaultKeyFile, type DataKeySource } from './config';
export { prepareDataAtRest, sealContext, sealDataAtRest, SEALED_COLUMNS, verifyDataKeys } from './atRest';
export { dataKeyTables } from './migration';
