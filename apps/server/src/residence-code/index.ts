export { residenceCodePlugin } from './routes';
export { residenceCodeTables } from './migration';
export { citizenKey, citizenSubject, ensureKeys, issueCode, publishedKeySet, ROTATION } from './keys';
