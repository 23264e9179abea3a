import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { IdSchema, LocalizedTextSchema, PermissionSchema, RoleScopeSchema, type RoleDefinition } from '@hall/shared';
import { hallForEditing, hallForReading } from '../admin/access';
import { requirePrincipal } from '../http/auth';
import { ApiError, forbidden, notFound, unknownReference } from '../http/errors';
import { HallParams } from '../http/params';
import type { StaffPrincipal } from '../http/principal';
import { parseRequest } from '../http/validate';
import { auditedWrite } from '../http/write';
import { getDepartment } from '../store/halls';
import { getStaff } from '../store/staff';
import { BUILTIN_ROLE_DEFINITIONS, effectivePermissions, getRole, insertRole, listRoles, roleAssignments, setRoleAssignments, updateRole } from './store';

const Permissions = z.array(PermissionSchema).max(64).transform((list) => [...new Set(list)]);
const CreateBody = z
  .object({ name: LocalizedTextSchema, scope: RoleScopeSchema.default('hall'), departmentId: IdSchema.optional(), permissions: Permissions })
  .strict();
const UpdateBody = z
  .object({ name: LocalizedTextSchema, permissions: Permissions, active: z.boolean() })
  .partial()
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'nothing to change');
const RoleParams = HallParams.extend({ id: IdSchema });
const AssignBody = z.object({ roleIds: z.array(IdSchema).max(16).transform((ids) => [...new Set(ids)]) }).strict();

const isCityAdmin = (principal: StaffPrincipal) => principal.roles.includes('city_admin');

/** Nobody hands out more than they hold: a role's permissions stay within its author's. */
async function assertWithinOwn(ctx: Parameters<FastifyPluginAsync>[0]['hall'], principal: StaffPrincipal, permissions: readonly string[]) {
  const own = await effectivePermissions(ctx.db, principal.id, principal.roles);
  const beyond = permissions.filter((p) => !(own.permissions as readonly string[]).includes(p));
  if (beyond.length > 0) throw forbidden(`you cannot grant permissions you do not hold: ${beyond.join(', ')}`);
}

/** A city role is the city administrator's; hall and department roles belong to one hall. */
function assertMayEdit(principal: StaffPrincipal, role: RoleDefinition, hallId: string) {
  if (role.scope === 'city' ? !isCityAdmin(principal) : role.hallId !== hallId) throw forbidden('this role belongs to another hall or to the city');
}

/**
 * Configurable roles (issue 20): a named set of permissions scoped to the city, a hall or a
 * department, handed to staff by the hall's manager. Built-in roles are listed as read-only
 * defaults. Every change and assignment is audited.
 */
export const roleRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.hall;
  const { db } = ctx;

  app.get('/admin/halls/:hallId/roles', async (request) => {
    const { params } = parseRequest(request, { params: HallParams });
    await hallForReading(ctx, request, params.hallId);
    const assignments = Object.fromEntries(await roleAssignments(db, params.hallId));
    return { roles: [...BUILTIN_ROLE_DEFINITIONS, ...(await listRoles(db, params.hallId))], assignments };
  });

  app.post('/admin/halls/:hallId/roles', async (request, reply) => {
    const { params, body } = parseRequest(request, { params: HallParams, body: CreateBody });
    const { principal } = await hallForEditing(ctx, request, params.hallId, 'roles');
    if (body.scope === 'city' && !isCityAdmin(principal)) throw forbidden('only a city administrator creates city-wide roles');
    if (body.scope === 'department') {
      const department = body.departmentId ? await getDepartment(db, body.departmentId) : undefined;
      if (!department || department.hallId !== params.hallId) throw unknownReference(`department ${body.departmentId ?? '(none)'} is not in hall ${params.hallId}`);
    } else if (body.departmentId) throw new ApiError(400, 'invalid_request', 'departmentId goes with scope department only');
    await assertWithinOwn(ctx, principal, body.permissions);
    const role = {
      id: `role-${randomUUID()}`,
      name: body.name,
      scope: body.scope,
      hallId: body.scope === 'city' ? null : params.hallId,
      departmentId: body.scope === 'department' ? (body.departmentId ?? null) : null,
      permissions: body.permissions,
      active: true,
    };
    await auditedWrite(ctx, principal, { action: 'create', entity: 'role', entityId: role.id, hallId: role.hallId, detail: { scope: role.scope, permissions: role.permissions } }, (trx) =>
      insertRole(trx, role, ctx.clock()),
    );
    return reply.code(201).send({ role: await getRole(db, role.id) });
  });

  app.patch('/admin/halls/:hallId/roles/:id', async (request) => {
    const { params, body } = parseRequest(request, { params: RoleParams, body: UpdateBody });
    const { principal } = await hallForEditing(ctx, request, params.hallId, 'roles');
    const role = await getRole(db, params.id);
    if (!role) throw notFound('role', params.id);
    assertMayEdit(principal, role, params.hallId);
    if (body.permissions) await assertWithinOwn(ctx, principal, body.permissions);
    const detail = { changed: Object.keys(body), ...(body.permissions && { permissions: body.permissions }) };
    await auditedWrite(ctx, principal, { action: 'update', entity: 'role', entityId: role.id, hallId: role.hallId, detail }, (trx) => updateRole(trx, role.id, body, ctx.clock()));
    return { role: await getRole(db, role.id) };
  });

  app.put('/admin/halls/:hallId/staff/:id/roles', async (request) => {
    const { params, body } = parseRequest(request, { params: RoleParams, body: AssignBody });
    const { principal } = await hallForEditing(ctx, request, params.hallId, 'role assignments');
    const staff = await getStaff(db, params.id);
    if (!staff || staff.hallId !== params.hallId) throw notFound('staff member', params.id);
    // Taking away one's own roles page could lock the hall out of its own settings.
    if (staff.id === principal.id) throw new ApiError(400, 'invalid_request', 'you cannot change your own roles');
    if (staff.roles.includes('city_admin') && !isCityAdmin(principal)) throw forbidden('only a city administrator changes a city administrator');
    for (const roleId of body.roleIds) {
      const role = await getRole(db, roleId);
      if (!role || !role.active) throw unknownReference(`role ${roleId} does not exist or is switched off`);
      const fits = role.scope === 'city' || (role.hallId === staff.hallId && (role.scope === 'hall' || role.departmentId === (staff.departmentId ?? null)));
      if (!fits) throw unknownReference(`role ${roleId} is not for staff of ${role.scope === 'department' ? `department ${role.departmentId}` : `hall ${role.hallId}`}`);
    }
    await auditedWrite(ctx, principal, { action: 'assign_roles', entity: 'staff', entityId: staff.id, hallId: staff.hallId, detail: { roleIds: body.roleIds } }, (trx) =>
      setRoleAssignments(trx, staff.id, body.roleIds),
    );
    return { staffId: staff.id, roleIds: (await roleAssignments(db, params.hallId)).get(staff.id) ?? [] };
  });

  app.get('/people/me', async (request) => {
    const principal = await requirePrincipal(ctx, request, { staffRoles: ['clerk', 'officer', 'supervisor', 'hall_manager'] });
    if (principal.kind !== 'staff') throw forbidden();
    return effectivePermissions(db, principal.id, principal.roles);
  });
};
