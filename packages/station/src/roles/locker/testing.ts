// Moved to the station's residence-code module, shared with the counter; kept for the locker's tests.
export { TestCodeIssuer } from '../../residence-code/testing';
