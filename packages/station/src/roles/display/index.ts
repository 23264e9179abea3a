export * from './board';
export { callKey, callOfTicket } from './rules/calls';
export * from './callStore';
export * from './config';
export * from './signs';
export * from './role';
export * from './definition';
