import type { Kysely } from 'kysely';
import { z } from 'zod';
import { BUILTIN_ROLE_PERMISSIONS, PERMISSIONS, PermissionSchema, RoleScopeSchema, StaffRoleSchema, type Permission, type RoleDefinition } from '@hall/shared';
import type { Database, RoleDefinitionTable } from '../db/schema';
import { decodeJson, encodeJson, localized, toFlag } from '../db/json';

const PermissionsSchema = z.array(PermissionSchema);

const BUILTIN_NAMES = {
  clerk: { zh: '窗口人员', en: 'Clerk' },
  officer: { zh: '后台审批人员', en: 'Back-office officer' },
  supervisor: { zh: '督查人员', en: 'Supervisor' },
  hall_manager: { zh: '大厅管理员', en: 'Hall manager' },
  city_admin: { zh: '市级管理员', en: 'City administrator' },
} as const;

/** Built-in roles as definitions: ids `builtin-<role>`, valid everywhere, never stored. */
export const BUILTIN_ROLE_DEFINITIONS: readonly RoleDefinition[] = StaffRoleSchema.options.map((role) => ({
  id: `builtin-${role}`,
  name: { ...BUILTIN_NAMES[role] },
  scope: 'city' as const,
  hallId: null,
  departmentId: null,
  permissions: [...BUILTIN_ROLE_PERMISSIONS[role]],
  active: true,
  builtIn: true,
}));

function roleFromRow(row: RoleDefinitionTable): RoleDefinition {
  return {
    id: row.id,
    name: localized(row.name_zh, row.name_en),
    scope: RoleScopeSchema.parse(row.scope),
    hallId: row.hall_id,
    departmentId: row.department_id,
    permissions: decodeJson(PermissionsSchema, row.permissions_json, `role ${row.id} permissions`),
    active: row.active === 1,
    builtIn: false,
  };
}

/** The roles a hall's manager sees: the city's and the hall's (its departments' included). */
export async function listRoles(db: Kysely<Database>, hallId: string): Promise<RoleDefinition[]> {
  const rows = await db
    .selectFrom('role_definitions')
    .selectAll()
    .where((eb) => eb.or([eb('hall_id', '=', hallId), eb('scope', '=', 'city')]))
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(roleFromRow);
}

export async function getRole(db: Kysely<Database>, id: string): Promise<RoleDefinition | undefined> {
  const row = await db.selectFrom('role_definitions').selectAll().where('id', '=', id).executeTakeFirst();
  return row && roleFromRow(row);
}

export async function insertRole(db: Kysely<Database>, role: Omit<RoleDefinition, 'builtIn'>, at: Date): Promise<void> {
  await db
    .insertInto('role_definitions')
    .values({
      id: role.id,
      scope: role.scope,
      hall_id: role.hallId,
      department_id: role.departmentId,
      name_zh: role.name.zh,
      name_en: role.name.en ?? null,
      permissions_json: encodeJson(PermissionsSchema, role.permissions),
      active: toFlag(role.active),
      created_at: at.toISOString(),
      updated_at: at.toISOString(),
    })
    .execute();
}

export async function updateRole(
  db: Kysely<Database>,
  id: string,
  changes: { name?: RoleDefinition['name']; permissions?: Permission[]; active?: boolean },
  at: Date,
): Promise<void> {
  await db
    .updateTable('role_definitions')
    .set({
      ...(changes.name && { name_zh: changes.name.zh, name_en: changes.name.en ?? null }),
      ...(changes.permissions && { permissions_json: encodeJson(PermissionsSchema, changes.permissions) }),
      ...(changes.active !== undefined && { active: toFlag(changes.active) }),
      updated_at: at.toISOString(),
    })
    .where('id', '=', id)
    .execute();
}

/** Every staff member's configurable roles in a hall: staff id → role ids. */
export async function roleAssignments(db: Kysely<Database>, hallId: string): Promise<Map<string, string[]>> {
  const rows = await db
    .selectFrom('staff_role_assignments')
    .innerJoin('staff', 'staff.id', 'staff_role_assignments.staff_id')
    .select(['staff_role_assignments.staff_id', 'staff_role_assignments.role_id'])
    .where('staff.hall_id', '=', hallId)
    .orderBy('staff_role_assignments.role_id')
    .execute();
  const byStaff = new Map<string, string[]>();
  for (const row of rows) byStaff.set(row.staff_id, [...(byStaff.get(row.staff_id) ?? []), row.role_id]);
  return byStaff;
}

/** Replaces a staff member's configurable roles (an empty list: back to the built-in roles). */
export async function setRoleAssignments(db: Kysely<Database>, staffId: string, roleIds: readonly string[]): Promise<void> {
  await db.deleteFrom('staff_role_assignments').where('staff_id', '=', staffId).execute();
  if (roleIds.length > 0) await db.insertInto('staff_role_assignments').values(roleIds.map((role_id) => ({ staff_id: staffId, role_id }))).execute();
}

export interface EffectivePermissions {
  permissions: Permission[];
  /** True when configurable roles decide (then the permission gate applies); false: built-in roles, as before issue 20. */
  configured: boolean;
}

/**
 * What a staff member may open. Holding any active configurable role replaces the built-in
 * defaults with the union of those roles' permissions; a city administrator keeps everything.
 */
export async function effectivePermissions(db: Kysely<Database>, staffId: string, roles: readonly string[]): Promise<EffectivePermissions> {
  const builtIn = (): EffectivePermissions => {
    const granted = new Set(roles.flatMap((role) => BUILTIN_ROLE_PERMISSIONS[StaffRoleSchema.parse(role)]));
    return { permissions: PERMISSIONS.filter((p) => granted.has(p)), configured: false };
  };
  if (roles.includes('city_admin')) return builtIn();
  const rows = await db
    .selectFrom('staff_role_assignments')
    .innerJoin('role_definitions', 'role_definitions.id', 'staff_role_assignments.role_id')
    .select(['role_definitions.id', 'role_definitions.permissions_json'])
    .where('staff_role_assignments.staff_id', '=', staffId)
    .where('role_definitions.active', '=', 1)
    .execute();
  if (rows.length === 0) return builtIn();
  const granted = new Set(rows.flatMap((row) => decodeJson(PermissionsSchema, row.permissions_json, `role ${row.id} permissions`)));
  return { permissions: PERMISSIONS.filter((p) => granted.has(p)), configured: true };
}
