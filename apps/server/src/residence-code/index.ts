export { residenceCodePlugin } from './routes';
export { residenceCodeTables } from './migration';
export { citizenSubject, ensureKeys, issueCode, publishedKeySet, ROTATION } from './keys';
