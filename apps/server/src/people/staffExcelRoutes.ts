import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { hallForEditing, hallForReading } from '../admin/access';
import { hashPassword } from '../auth/password';
import { bearerToken } from '../http/auth';
import { ApiError } from '../http/errors';
import { HallParams } from '../http/params';
import { actorOf } from '../http/principal';
import { parseRequest } from '../http/validate';
import { recordAudit } from '../store/audit';
import { deleteStaffSessions } from '../store/sessions';
import { retireClerkKeys } from '../sync/clerkKeys';
import { insertStaff, listStaff, updateStaff } from '../store/staff';
import { listHallDepartments } from './departments';
import { newStaffId, readStaffSheet, staffWorkbook, validateStaffRows } from './staffExcel';

/** A staff sheet is small; 2 MB of base64 is thousands of rows. */
const ImportBody = z.object({ file: z.string().min(1).max(2_800_000) }).strict();

/** 人员账号 Excel: export a hall's accounts, import a sheet all or nothing with row-level errors. */
export const staffExcelRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.hall;
  const { db } = ctx;

  app.get('/admin/halls/:hallId/staff/export.xlsx', async (request, reply) => {
    const { params } = parseRequest(request, { params: HallParams });
    await hallForReading(ctx, request, params.hallId);
    const workbook = await staffWorkbook(await listStaff(db, params.hallId));
    return reply
      .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="staff-${params.hallId}.xlsx"`)
      .send(workbook);
  });

  app.post('/admin/halls/:hallId/staff/import', { bodyLimit: 3_000_000 }, async (request) => {
    const { params, body } = parseRequest(request, { params: HallParams, body: ImportBody });
    const { principal } = await hallForEditing(ctx, request, params.hallId, 'staff');
    const sheet = await readStaffSheet(Buffer.from(body.file, 'base64'));
    if (sheet.errors.length > 0) throw new ApiError(422, 'invalid_file', '文件无法导入', { errors: sheet.errors });
    const departments = await listHallDepartments(db, params.hallId);
    const { rows, errors } = await validateStaffRows(db, params.hallId, sheet.rows, departments);
    if (errors.length > 0) throw new ApiError(422, 'invalid_rows', `${errors.length} 处错误，未导入任何行`, { errors });
    if (rows.some((r) => r.existingId === principal.id && !r.active)) throw new ApiError(422, 'invalid_rows', '不能停用自己的账号', { errors: [] });
    // Hash before the transaction: scrypt is slow and must not hold the database.
    const hashes = await Promise.all(rows.map((r) => (r.password ? hashPassword(r.password) : Promise.resolve(null))));
    const at = ctx.clock();
    const summary = { created: 0, updated: 0 };
    await db.transaction().execute(async (trx) => {
      for (const [i, r] of rows.entries()) {
        const hash = hashes[i] ?? undefined;
        const fields = { displayName: r.displayName, staffNumber: r.staffNumber, roles: r.roles };
        if (r.existingId) {
          await updateStaff(trx, r.existingId, { ...fields, departmentId: r.departmentId, active: r.active, ...(hash && { passwordHash: hash }) }, at);
          // As PATCH /staff/:id: a new password ends the account's sessions (the importer's own
          // excepted), and a new password or a switch-off retires the counter's clerk keys.
          if (hash) await deleteStaffSessions(trx, r.existingId, r.existingId === principal.id ? bearerToken(request) : undefined);
          if (hash || !r.active) await retireClerkKeys(trx, r.existingId, at);
          summary.updated += 1;
        } else {
          const id = newStaffId();
          await insertStaff(trx, { id, hallId: params.hallId, login: r.login, ...fields, ...(r.departmentId && { departmentId: r.departmentId }) }, hash!, at);
          if (!r.active) await updateStaff(trx, id, { active: false }, at);
          summary.created += 1;
        }
        const entityId = r.existingId ?? (await trx.selectFrom('staff').select('id').where('login', '=', r.login).executeTakeFirstOrThrow()).id;
        await recordAudit(trx, { actor: actorOf(principal), action: r.existingId ? 'update' : 'create', entity: 'staff', entityId, hallId: params.hallId, detail: { via: 'xlsx', row: r.row, passwordSet: hash !== undefined } }, at);
      }
    });
    ctx.hub.poke(params.hallId, 'catalogue', at);
    return summary;
  });
};
