export { lockerPlugin } from './routes';
export { lockerTables } from './migration';
export { applyLockerEvent } from './apply';
export { lockerAlertTables, listLockerAlerts, type LockerAlertView } from './alerts';
