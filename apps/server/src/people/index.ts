import type { FastifyPluginAsync } from 'fastify';
import { auditRoutes } from './auditRoutes';
import { departmentRoutes } from './departments';
import { roleRoutes } from './roles';
import { staffExcelRoutes } from './staffExcelRoutes';

export { permissionGate } from './gate';

/** Issue 20, people and permissions: departments, configurable roles, the audit log, staff accounts in Excel. */
export const peoplePlugin: FastifyPluginAsync = async (app) => {
  await app.register(departmentRoutes);
  await app.register(roleRoutes);
  await app.register(auditRoutes);
  await app.register(staffExcelRoutes);
};
