export { lockerPlugin } from './routes';
export { lockerTables } from './migration';
export { applyLockerEvent } from './apply';
