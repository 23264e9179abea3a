import { z } from 'zod';
import { IdSchema, LocalizedTextSchema } from './common';
import type { StaffRole } from './hall';

/**
 * What a configurable role grants: one permission per console page (the page and the API
 * calls behind it). Issue 20: a hall manager composes roles from these.
 */
export const PERMISSIONS = [
  'live',
  'stats',
  'supervision',
  'backoffice',
  'catalogue',
  'services',
  'forms',
  'rules',
  'caseRules',
  'layout',
  'staff',
  'calendar',
  'booking',
  'devices',
  'notices',
  'sms',
  'smsBatch',
  'blacklist',
  'release',
  'slips',
  'departments',
  'roles',
  'audit',
  'performance',
  /** 我的绩效: a clerk's own appraisal results and appeals. */
  'myPerformance',
] as const;
export const PermissionSchema = z.enum(PERMISSIONS);
export type Permission = z.infer<typeof PermissionSchema>;

/**
 * The four built-in roles as default role definitions, exactly what they reach today: a
 * clerk works at the counter only, an officer the back office, managers every page (the
 * server still keeps writes to the hall manager).
 */
const MANAGING_PERMISSIONS: readonly Permission[] = PERMISSIONS.filter((p) => p !== 'myPerformance');

export const BUILTIN_ROLE_PERMISSIONS: Readonly<Record<StaffRole, readonly Permission[]>> = {
  clerk: ['myPerformance'],
  officer: ['backoffice'],
  supervisor: MANAGING_PERMISSIONS,
  hall_manager: MANAGING_PERMISSIONS,
  city_admin: MANAGING_PERMISSIONS,
};

/** city: every hall (a city administrator's); hall: one hall's staff; department: one department's staff. */
export const RoleScopeSchema = z.enum(['city', 'hall', 'department']);
export type RoleScope = z.infer<typeof RoleScopeSchema>;

export const RoleDefinitionSchema = z.object({
  id: IdSchema,
  name: LocalizedTextSchema,
  scope: RoleScopeSchema,
  hallId: IdSchema.nullable(),
  departmentId: IdSchema.nullable(),
  permissions: z.array(PermissionSchema).max(PERMISSIONS.length),
  active: z.boolean(),
  /** A built-in role's default definition: shown, never edited. */
  builtIn: z.boolean(),
});
export type RoleDefinition = z.infer<typeof RoleDefinitionSchema>;
