import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { IdSchema, StaffRoleSchema, StaffSchema, type StaffRole } from '@hall/shared';
import { hashPassword } from '../auth/password';
import { bearerToken, requirePrincipal } from '../http/auth';
import { ApiError, forbidden, notFound, unknownReference } from '../http/errors';
import { HallParams, IdParams } from '../http/params';
import type { Principal } from '../http/principal';
import { parseRequest } from '../http/validate';
import { auditedWrite } from '../http/write';
import { getDepartment, getHall } from '../store/halls';
import { retireClerkKeys } from '../sync/clerkKeys';
import { deleteStaffSessions } from '../store/sessions';
import { getStaff, insertStaff, listStaff, updateStaff } from '../store/staff';

export const PasswordSchema = z.string().min(8, 'at least 8 characters').max(128);

const CreateStaffBody = StaffSchema.extend({ password: PasswordSchema });
const UpdateStaffBody = z
  .object({
    displayName: StaffSchema.shape.displayName,
    staffNumber: StaffSchema.shape.staffNumber,
    departmentId: IdSchema.nullable(),
    roles: z.array(StaffRoleSchema).min(1),
    active: z.boolean(),
    password: PasswordSchema,
  })
  .partial()
  .strict();

const STAFF_ADMINS = ['hall_manager'] as const;

/** Only a city administrator creates city-level staff or hands out city_admin. */
function assertMayAssign(principal: Principal, hallId: string | null, roles: StaffRole[] | undefined): void {
  const isCityAdmin = principal.kind === 'staff' && principal.roles.includes('city_admin');
  if (isCityAdmin) return;
  if (hallId === null || roles?.includes('city_admin')) throw forbidden('only a city administrator may do this');
}

async function checkDepartment(db: Parameters<typeof getDepartment>[0], departmentId: string | null | undefined, hallId: string | null) {
  if (!departmentId) return;
  const department = await getDepartment(db, departmentId);
  if (!department || department.hallId !== hallId) throw unknownReference(`department ${departmentId} is not in hall ${hallId}`);
  const switchedOff = await db.selectFrom('departments').select('id').where('id', '=', departmentId).where('active', '=', 0).executeTakeFirst();
  if (switchedOff) throw unknownReference(`department ${departmentId} is switched off`);
}

/** Staff accounts. Responses never contain password hashes or lockout state. */
export const staffRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.hall;
  const { db } = ctx;

  app.get('/halls/:hallId/staff', async (request) => {
    const { params } = parseRequest(request, { params: HallParams });
    await requirePrincipal(ctx, request, { staffRoles: ['supervisor', 'hall_manager'], hallId: params.hallId });
    return { staff: await listStaff(db, params.hallId) };
  });

  app.get('/staff/:id', async (request) => {
    const principal = await requirePrincipal(ctx, request);
    const { params } = parseRequest(request, { params: IdParams });
    const staff = await getStaff(db, params.id);
    const isSelf = principal.kind === 'staff' && principal.id === params.id;
    if (!isSelf) await requirePrincipal(ctx, request, { staffRoles: ['supervisor', 'hall_manager'], hallId: staff?.hallId ?? '' });
    if (!staff) throw notFound('staff member', params.id);
    return { staff };
  });

  app.post('/staff', async (request, reply) => {
    const principal = await requirePrincipal(ctx, request, { staffRoles: STAFF_ADMINS });
    const { body } = parseRequest(request, { body: CreateStaffBody });
    const { password, ...staff } = body;
    if (staff.hallId !== null) await requirePrincipal(ctx, request, { staffRoles: STAFF_ADMINS, hallId: staff.hallId });
    assertMayAssign(principal, staff.hallId, staff.roles);
    if (staff.hallId !== null && !(await getHall(db, staff.hallId))) throw unknownReference(`hall ${staff.hallId} does not exist`);
    await checkDepartment(db, staff.departmentId, staff.hallId);
    const passwordHash = await hashPassword(password);
    await auditedWrite(ctx, principal, { action: 'create', entity: 'staff', entityId: staff.id, hallId: staff.hallId }, (trx) =>
      insertStaff(trx, staff, passwordHash, ctx.clock()),
    );
    return reply.code(201).send({ staff: await getStaff(db, staff.id) });
  });

  app.patch('/staff/:id', async (request) => {
    const principal = await requirePrincipal(ctx, request, { staffRoles: STAFF_ADMINS });
    const { params, body } = parseRequest(request, { params: IdParams, body: UpdateStaffBody });
    const current = await getStaff(db, params.id);
    if (!current) throw notFound('staff member', params.id);
    if (current.hallId !== null) await requirePrincipal(ctx, request, { staffRoles: STAFF_ADMINS, hallId: current.hallId });
    assertMayAssign(principal, current.hallId, body.roles ?? current.roles);
    if (principal.id === params.id && body.active === false) throw new ApiError(400, 'invalid_request', 'you cannot deactivate yourself');
    await checkDepartment(db, body.departmentId, current.hallId);
    const { password, ...changes } = body;
    const passwordHash = password === undefined ? undefined : await hashPassword(password);
    const changed = Object.keys(body).filter((key) => key !== 'password');
    await auditedWrite(
      ctx,
      principal,
      { action: 'update', entity: 'staff', entityId: params.id, hallId: current.hallId, detail: { changed, passwordReset: password !== undefined } },
      async (trx) => {
        const updated = await updateStaff(trx, params.id, { ...changes, ...(passwordHash && { passwordHash }) }, ctx.clock());
        // A password reset ends every session of the account (a thief's included), in the same
        // transaction: the old password's sessions never outlive it.
        if (passwordHash) await deleteStaffSessions(trx, params.id, principal.id === params.id ? bearerToken(request) : undefined);
        // Counter stations keep the clerk key wrapped under the old password: it opens no new session now.
        if (passwordHash || body.active === false) await retireClerkKeys(trx, params.id, ctx.clock());
        return updated;
      },
    );
    return { staff: await getStaff(db, params.id) };
  });
};
