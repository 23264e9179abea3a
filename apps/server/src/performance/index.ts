export { performanceTables } from './migration';
export { performanceRoutes } from './routes';
