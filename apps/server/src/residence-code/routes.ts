import type { FastifyPluginAsync } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { CITIZEN_KEY_ROLES, isValidIdNumber, LOCKER_PATHS, normaliseIdNumber } from '@hall/shared';
import { authenticate, requirePrincipal } from '../http/auth';
import { forbidden, unauthorized } from '../http/errors';
import { parseRequest } from '../http/validate';
import { citizenKey, citizenSubject, issueCode, publishedKeySet } from './keys';

/** Dynamic code lifetime: short, so a screenshot of a code is useless minutes later. */
export const RESIDENCE_CODE_SECONDS = 120;

const IssueBody = z
  .object({ idNumber: z.string().transform(normaliseIdNumber).refine((v) => isValidIdNumber(v), 'not a valid resident ID number') })
  .strict();

function platformKeyMatches(given: unknown): boolean {
  const expected = process.env.HALL_CITIZEN_PLATFORM_KEY;
  if (!expected || typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Residence codes. The key set is public (stations and anyone may verify). Codes are
 * issued to the citizen platform (the 粤居码 mini-program backend, by its shared key in
 * `x-citizen-platform-key`) or to logged-in staff (demos, tests, assisted issuance).
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

  app.post(LOCKER_PATHS.issueResidenceCode, async (request, reply) => {
    if (!platformKeyMatches(request.headers['x-citizen-platform-key'])) {
      const principal = await requirePrincipal(ctx, request);
      if (principal.kind !== 'staff') throw unauthorized('residence codes are issued to the citizen platform or staff');
    }
    const { body } = parseRequest(request, { body: IssueBody });
    const subject = await citizenSubject(ctx.db, ctx.dataKeys, body.idNumber);
    const issued = await issueCode(ctx.db, ctx.dataKeys, { kind: 'residence', subject }, ctx.clock(), RESIDENCE_CODE_SECONDS);
    void reply.code(201);
    return issued;
  });
};
