import type { FastifyPluginAsync } from 'fastify';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { CITIZEN_KEY_ROLES, isValidIdNumber, LOCKER_PATHS, normaliseIdNumber, RESIDENCE_FIELD_LIMITS } from '@hall/shared';
import { serviceKeyMatches } from '../auth/serviceKeys';
import { authenticate, requirePrincipal } from '../http/auth';
import { forbidden, unauthorized } from '../http/errors';
import { parseRequest } from '../http/validate';
import { recordAudit } from '../store/audit';
import { dataKeyRing, sealResidenceFields } from './dataKeys';
import { citizenKey, citizenSubject, issueCode, publishedKeySet } from './keys';

/** Dynamic code lifetime: short, so a screenshot of a code is useless minutes later. */
export const RESIDENCE_CODE_SECONDS = 120;

const text = (max: number) => z.string().trim().min(1).max(max);
/**
 * The platform names the citizen by ID number; with name and address (phone optional) the
 * code also carries them sealed to the city's stations, so a scan fills the form (码上填表).
 */
const IssueBody = z
  .object({
    idNumber: z.string().transform(normaliseIdNumber).refine((v) => isValidIdNumber(v), 'not a valid resident ID number'),
    name: text(RESIDENCE_FIELD_LIMITS.name).optional(),
    address: text(RESIDENCE_FIELD_LIMITS.address).optional(),
    phone: z.string().trim().regex(/^\+?[0-9-]{5,20}$/, 'not a phone number').optional(),
  })
  .strict()
  .refine((b) => (b.name === undefined) === (b.address === undefined), 'name and address come together (sealed into the code) or not at all');

/** Header the citizen platform sends its shared key in. */
export const CITIZEN_PLATFORM_KEY_HEADER = 'x-citizen-platform-key';

/**
 * Residence codes. The key set is public (stations and anyone may verify). A residence code
 * opens a citizen's locker compartments, so it is issued to the citizen platform only (the
 * 粤居码 mini-program backend, by its shared key in `x-citizen-platform-key`,
 * HALL_CITIZEN_PLATFORM_KEY): never to staff of any hall, the city administrator included,
 * nor to a device. Every issue is audited (which key, which signing key, when; never the
 * ID number or the code).
 */
export const residenceCodePlugin: FastifyPluginAsync = async (app) => {
  const ctx = app.hall;

  app.get(LOCKER_PATHS.keys, async (request, reply) => {
    void reply.header('cache-control', 'public, max-age=300');
    // Lockers fetch keys with their credential as a heartbeat: authenticating stamps their last
    // contact, which is how the console sees them online.
    if (request.headers.authorization) await authenticate(ctx, request).catch(() => null);
    return publishedKeySet(ctx.db, ctx.dataKeys, ctx.clock());
  });

  app.get(LOCKER_PATHS.citizenKey, async (request, reply) => {
    const principal = await requirePrincipal(ctx, request, { deviceRoles: CITIZEN_KEY_ROLES });
    // Stations only: not even the city administrator reads the key over the API.
    if (principal.kind !== 'device') throw forbidden();
    void reply.header('cache-control', 'no-store');
    return { citizenKey: await citizenKey(ctx.db, ctx.dataKeys) };
  });

  // The data keys open citizens' fields in residence codes: kiosks and counters only, like the citizen key.
  app.get(LOCKER_PATHS.dataKeys, async (request, reply) => {
    const principal = await requirePrincipal(ctx, request, { deviceRoles: CITIZEN_KEY_ROLES });
    if (principal.kind !== 'device') throw forbidden();
    void reply.header('cache-control', 'no-store');
    return dataKeyRing(ctx.db, ctx.dataKeys, ctx.clock());
  });

  app.post(LOCKER_PATHS.issueResidenceCode, async (request, reply) => {
    const given = request.headers[CITIZEN_PLATFORM_KEY_HEADER];
    if (given === undefined) {
      // A staff session or device credential is no way in: say so plainly rather than 401.
      if (await authenticate(ctx, request)) throw forbidden('residence codes are issued to the citizen platform only');
      throw unauthorized('residence codes are issued to the citizen platform only (x-citizen-platform-key)');
    }
    const keyIndex = ctx.citizenPlatformKeys.findIndex((key) => serviceKeyMatches(given, [key]));
    if (keyIndex < 0) throw unauthorized('citizen platform key is not valid');
    const { body } = parseRequest(request, { body: IssueBody });
    const subject = await citizenSubject(ctx.db, ctx.dataKeys, body.idNumber);
    const now = ctx.clock();
    const { name, address, phone } = body;
    const seal =
      name !== undefined && address !== undefined
        ? (header: Uint8Array) => sealResidenceFields(ctx.db, ctx.dataKeys, now, { name, idNumber: body.idNumber, address, ...(phone ? { phone } : {}) }, header)
        : undefined;
    const issued = await issueCode(ctx.db, ctx.dataKeys, { kind: 'residence', subject }, now, RESIDENCE_CODE_SECONDS, seal);
    // The entity id is a fingerprint of the code: it names neither the citizen nor lets anyone
    // rebuild the code, yet a code found later (a complaint, a locker log) matches its issue.
    const fingerprint = createHash('sha256').update(issued.code).digest('hex').slice(0, 32);
    await recordAudit(
      ctx.db,
      {
        actor: { kind: 'platform', id: 'citizen-platform' },
        action: 'issue',
        entity: 'residence_code',
        entityId: fingerprint,
        detail: { platformKey: keyIndex === 0 ? 'current' : `previous-${keyIndex}`, kid: issued.kid, sealedFields: seal !== undefined, expiresAt: issued.expiresAt, address: request.ip },
      },
      now,
    );
    void reply.code(201);
    return issued;
  });
};
