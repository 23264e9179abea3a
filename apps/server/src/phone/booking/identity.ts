import { createHash, createHmac, randomBytes, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import { isValidIdNumber, maskName, normaliseIdNumber, verifyCode } from '@hall/shared';
import type { FastifyRequest } from 'fastify';
import type { ServerContext } from '../../context';
import { ApiError } from '../../http/errors';
import { ed25519 } from '../../lockers/delegation';
import { citizenKey, citizenSubject, cityKeySet } from '../../residence-code/keys';
import { sealContext } from '../../secrets/atRest';
import { enqueueSms } from '../../sms/outbox';
import { bookingDb } from './tables';

/** How an SMS code and a booking session live, and how often a phone or an address may ask for codes. */
export const CODE_POLICY = {
  codeMinutes: 5,
  maxAttempts: 5,
  /** Between two codes to one phone. */
  resendSeconds: 60,
  perPhonePerHour: 5,
  perAddressPerHour: 20,
  sessionMinutes: 30,
} as const;

const SESSION_PHONE = { table: 'booking_sessions', column: 'phone' } as const;

type Ctx = Pick<ServerContext, 'db' | 'dataKeys' | 'clock'>;

/** Keyed hashes: the tables can say "this phone asked 5 times" without holding the phone or the address. */
async function keyedHash(ctx: Ctx, label: string, value: string): Promise<string> {
  return createHmac('sha256', await citizenKey(ctx.db, ctx.dataKeys)).update(`${label}:${value}`).digest('hex');
}

const tooMany = (message: string, retryAfterSeconds: number) => new ApiError(429, 'too_many_codes', message, { retryAfterSeconds });

/** Sends a 6-digit code to the phone, within the per-phone and per-address limits. */
export async function sendCode(ctx: Ctx, hallId: string, phone: string, address: string): Promise<{ expiresInSeconds: number }> {
  const now = ctx.clock();
  const db = bookingDb(ctx.db);
  const phoneHash = await keyedHash(ctx, 'phone', phone);
  const addressHash = await keyedHash(ctx, 'address', address);
  const hourAgo = new Date(now.getTime() - 3600_000).toISOString();
  // Codes older than a day count for no limit any more.
  await db.deleteFrom('booking_codes').where('created_at', '<', new Date(now.getTime() - 24 * 3600_000).toISOString()).execute();
  const recent = await db.selectFrom('booking_codes').select('created_at').where('phone_hash', '=', phoneHash).where('created_at', '>', hourAgo).orderBy('created_at', 'desc').execute();
  const last = recent[0];
  if (last && now.getTime() - Date.parse(last.created_at) < CODE_POLICY.resendSeconds * 1000) {
    throw tooMany('a code was sent to this phone less than a minute ago', Math.ceil((Date.parse(last.created_at) + CODE_POLICY.resendSeconds * 1000 - now.getTime()) / 1000));
  }
  if (recent.length >= CODE_POLICY.perPhonePerHour) throw tooMany('too many codes for this phone within the hour', 3600);
  const fromAddress = await db
    .selectFrom('booking_codes')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('address_hash', '=', addressHash)
    .where('created_at', '>', hourAgo)
    .executeTakeFirst();
  if (Number(fromAddress?.n ?? 0) >= CODE_POLICY.perAddressPerHour) throw tooMany('too many codes from this address within the hour', 3600);
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const id = randomUUID();
  // Hashed before the transaction: on SQLite a read on ctx.db inside it would wait forever.
  const codeHash = await keyedHash(ctx, `code:${id}`, code);
  await ctx.db.transaction().execute(async (trx) => {
    await bookingDb(trx)
      .insertInto('booking_codes')
      .values({
        id,
        phone_hash: phoneHash,
        address_hash: addressHash,
        code_hash: codeHash,
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + CODE_POLICY.codeMinutes * 60_000).toISOString(),
        attempts: 0,
        used_at: null,
      })
      .execute();
    await enqueueSms(trx, ctx.dataKeys, { idempotencyKey: `booking-code:${id}`, hallId, phone, template: 'booking_code', params: { code, minutes: String(CODE_POLICY.codeMinutes) } }, now);
  });
  return { expiresInSeconds: CODE_POLICY.codeMinutes * 60 };
}

/** Spends the phone's latest code if it matches; wrong, expired and used codes are told apart. */
async function spendCode(ctx: Ctx, phone: string, code: string): Promise<void> {
  const now = ctx.clock();
  const db = bookingDb(ctx.db);
  const latest = await db.selectFrom('booking_codes').selectAll().where('phone_hash', '=', await keyedHash(ctx, 'phone', phone)).orderBy('created_at', 'desc').executeTakeFirst();
  if (!latest || latest.used_at !== null) throw new ApiError(401, 'code_wrong', 'no code is waiting for this phone: ask for a new one');
  if (latest.expires_at <= now.toISOString()) throw new ApiError(401, 'code_expired', 'the code has expired: ask for a new one');
  if (Number(latest.attempts) >= CODE_POLICY.maxAttempts) throw new ApiError(401, 'code_expired', 'too many wrong tries: ask for a new code');
  const expected = Buffer.from(latest.code_hash);
  const given = Buffer.from(await keyedHash(ctx, `code:${latest.id}`, code));
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    await db.updateTable('booking_codes').set({ attempts: Number(latest.attempts) + 1 }).where('id', '=', latest.id).execute();
    throw new ApiError(401, 'code_wrong', 'the code is not right', { triesLeft: CODE_POLICY.maxAttempts - Number(latest.attempts) - 1 });
  }
  // Only one sign-in per code, even when two arrive together.
  const spent = await db.updateTable('booking_codes').set({ used_at: now.toISOString() }).where('id', '=', latest.id).where('used_at', 'is', null).executeTakeFirst();
  if (Number(spent.numUpdatedRows) !== 1) throw new ApiError(401, 'code_wrong', 'this code was already used: ask for a new one');
}

export type CitizenProof = { idNumber: string; name: string } | { residenceCode: string; name: string };

/** The citizen's keyed ID hash: from a typed ID number, or from a residence code the city signed. */
async function citizenHash(ctx: Ctx, proof: CitizenProof): Promise<string> {
  if ('idNumber' in proof) {
    const idNumber = normaliseIdNumber(proof.idNumber);
    if (!isValidIdNumber(idNumber)) throw new ApiError(400, 'invalid_id_number', 'this is not a valid resident ID number');
    return Buffer.from(await citizenSubject(ctx.db, ctx.dataKeys, idNumber)).toString('hex');
  }
  const now = ctx.clock();
  const verified = verifyCode(proof.residenceCode.trim(), { keySet: await cityKeySet(ctx.db, now), nowMs: now.getTime(), expect: 'residence', checkSignature: ed25519 });
  if (!verified.ok) throw new ApiError(400, 'invalid_residence_code', `the residence code was refused (${verified.reason}): open a fresh one`);
  return Buffer.from(verified.payload.subject).toString('hex');
}

export interface BookingCitizen {
  idHash: string;
  maskedName: string;
  phone: string;
}

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

/** Checks the code, then opens a session for the citizen; the token is returned once and kept only as a hash. */
export async function openSession(ctx: Ctx, phone: string, code: string, proof: CitizenProof): Promise<{ token: string; expiresAt: string; citizen: BookingCitizen }> {
  const idHash = await citizenHash(ctx, proof);
  await spendCode(ctx, phone, code);
  const now = ctx.clock();
  // Ended sessions hold a sealed phone: they go as soon as a new one opens.
  await bookingDb(ctx.db).deleteFrom('booking_sessions').where('expires_at', '<=', now.toISOString()).execute();
  const token = randomBytes(32).toString('base64url');
  const id = tokenHash(token);
  const expiresAt = new Date(now.getTime() + CODE_POLICY.sessionMinutes * 60_000).toISOString();
  const maskedName = maskName(proof.name.trim());
  await bookingDb(ctx.db)
    .insertInto('booking_sessions')
    .values({ id, id_hash: idHash, masked_name: maskedName, phone: ctx.dataKeys.seal(phone, sealContext(SESSION_PHONE, id)), created_at: now.toISOString(), expires_at: expiresAt })
    .execute();
  return { token, expiresAt, citizen: { idHash, maskedName, phone } };
}

/** The citizen of the request's booking session (Authorization: Bearer <token>), or 401. */
export async function sessionCitizen(ctx: Ctx, request: FastifyRequest): Promise<BookingCitizen> {
  const header = request.headers.authorization;
  const token = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7).trim() : '';
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) throw new ApiError(401, 'session_required', 'prove your phone with an SMS code first');
  const id = tokenHash(token);
  const row = await bookingDb(ctx.db).selectFrom('booking_sessions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row || row.expires_at <= ctx.clock().toISOString()) throw new ApiError(401, 'session_expired', 'your session has ended: prove your phone again');
  return { idHash: row.id_hash, maskedName: row.masked_name, phone: ctx.dataKeys.open(row.phone, sealContext(SESSION_PHONE, id)) };
}
