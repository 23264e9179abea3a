import { createDecipheriv, createPublicKey, randomBytes, verify } from 'node:crypto';
import type { Kysely } from 'kysely';
import {
  decodeBase64Url,
  decodeDelegatedDeposit,
  encodeBase64Url,
  encodeDelegationCert,
  formatDelegationCert,
  sealedPhoneContext,
  verifyDelegatedDeposit,
  type DepositDelegationResponse,
  type LockerEvent,
  type SignatureCheck,
} from '@hall/shared';
import type { Database } from '../db/schema';
import type { DevicePrincipal } from '../http/principal';
import { cityKeySet, signWithCityKey } from '../residence-code/keys';
import { sealContext } from '../secrets/atRest';
import type { DataKeyring } from '../secrets/keyring';
import { DELEGATION_PHONE_KEY, lockerDb, PARCEL_PHONE } from './tables';

/** How long a counter's delegated key signs: two days, renewed daily while the counter is online. */
export const DELEGATION_SECONDS = 2 * 24 * 3600;

const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
/** Ed25519 over the city's raw public keys, as residence and deposit codes are signed. */
export const ed25519: SignatureCheck = (publicKey, message, signature) =>
  publicKey.length === 32 &&
  signature.length === 64 &&
  verify(null, message, createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' }), signature);

/**
 * Certifies a counter station's own deposit-signing key (the counter made the key pair; its
 * private key never comes here): bound to the counter's hall and device id, valid two days,
 * signed by the city key every locker trusts. With it comes a fresh key that seals the
 * citizen's mobile number in the counter's offline codes, kept here sealed at rest.
 */
export async function grantDepositDelegation(
  database: Kysely<Database>,
  keyring: DataKeyring,
  device: DevicePrincipal,
  publicKey: string,
  now: Date,
): Promise<DepositDelegationResponse> {
  const raw = decodeBase64Url(publicKey);
  if (raw?.length !== 32) throw new RangeError('publicKey is 32 bytes of base64url');
  const delegatedKid = randomBytes(8).toString('hex');
  const issuedAt = Math.floor(now.getTime() / 1000);
  const expiresAt = issuedAt + DELEGATION_SECONDS;
  const { signed, signature } = await signWithCityKey(database, keyring, now, (kid) =>
    encodeDelegationCert({ kid, issuedAt, expiresAt, hallId: device.hallId, deviceId: device.id, delegatedKid, publicKey: raw }),
  );
  const phoneKey = randomBytes(32).toString('base64url');
  const notBefore = new Date(issuedAt * 1000).toISOString();
  const notAfter = new Date(expiresAt * 1000).toISOString();
  await lockerDb(database)
    .insertInto('locker_delegations')
    .values({
      kid: delegatedKid,
      hall_id: device.hallId,
      device_id: device.id,
      public_key: encodeBase64Url(raw),
      phone_key: keyring.seal(phoneKey, sealContext(DELEGATION_PHONE_KEY, delegatedKid)),
      not_before: notBefore,
      not_after: notAfter,
      created_at: now.toISOString(),
    })
    .execute();
  return { certificate: formatDelegationCert(signed, signature), delegatedKid, hallId: device.hallId, deviceId: device.id, notBefore, notAfter, phoneKey };
}

function openPhone(phoneKey: Buffer, sealed: Uint8Array, parcelId: string, delegatedKid: string): string | undefined {
  if (sealed.length < 12 + 16 + 1) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', phoneKey, sealed.subarray(0, 12));
    decipher.setAAD(Buffer.from(sealedPhoneContext(parcelId, delegatedKid)));
    decipher.setAuthTag(sealed.subarray(sealed.length - 16));
    return Buffer.concat([decipher.update(sealed.subarray(12, sealed.length - 16)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

export type DelegatedOutcome = { ok: true; issuedBy: string } | { ok: false; reason: string };

/**
 * A locker deposited with a code a counter signed offline: the central API learns the parcel
 * from the code itself. It checks everything again (the certificate against its own keys and
 * its own record of the grant, the code's signature, that the issuing counter is still an
 * enrolled counter of the locker's hall), opens the sealed mobile number, and records the
 * parcel as issued by that counter. The deposit itself is then applied as for any parcel.
 */
export async function registerDelegatedParcel(
  trx: Kysely<Database>,
  keyring: DataKeyring,
  locker: DevicePrincipal,
  event: Extract<LockerEvent, { type: 'deposited' }> & { delegatedCode: string },
  now: Date,
): Promise<DelegatedOutcome> {
  const db = lockerDb(trx);
  const decoded = decodeDelegatedDeposit(event.delegatedCode);
  if (!decoded.ok) return { ok: false, reason: `delegated code ${decoded.reason}` };
  // Judged as at the deposit (the locker may report days later), never later than now.
  const atMs = Math.min(Date.parse(event.at), now.getTime());
  const verified = verifyDelegatedDeposit(event.delegatedCode, {
    keySet: await cityKeySet(trx, new Date(atMs)),
    nowMs: atMs,
    expect: 'deposit',
    checkSignature: ed25519,
    hallId: locker.hallId,
  });
  if (!verified.ok) return { ok: false, reason: `delegated code refused: ${verified.reason}` };
  const code = verified.payload;
  const delegated = verified.delegated!;
  if (code.parcelId !== event.parcelId) return { ok: false, reason: 'delegated code names another parcel' };
  const grant = await db.selectFrom('locker_delegations').selectAll().where('kid', '=', delegated.delegatedKid).executeTakeFirst();
  const certKey = encodeBase64Url(decoded.code.cert.payload.publicKey);
  if (!grant || grant.hall_id !== locker.hallId || grant.device_id !== delegated.deviceId || grant.public_key !== certKey) {
    return { ok: false, reason: 'delegated code: no such grant to this counter' };
  }
  const counter = await trx.selectFrom('devices').select(['role', 'hall_id', 'revoked_at']).where('id', '=', grant.device_id).executeTakeFirst();
  if (!counter || counter.role !== 'counter' || counter.hall_id !== locker.hallId || counter.revoked_at !== null) {
    return { ok: false, reason: `delegated code: counter ${grant.device_id} is no longer a counter of this hall` };
  }
  const phoneKey = Buffer.from(keyring.open(grant.phone_key, sealContext(DELEGATION_PHONE_KEY, grant.kid)), 'base64url');
  const phone = openPhone(phoneKey, delegated.sealedPhone, code.parcelId, grant.kid);
  if (!phone || !/^1\d{10}$/.test(phone)) return { ok: false, reason: 'delegated code: the sealed mobile number does not open' };
  const issuedAt = new Date(code.issuedAt * 1000).toISOString();
  await db
    .insertInto('locker_parcels')
    .values({
      id: code.parcelId,
      hall_id: locker.hallId,
      case_number: code.caseNumber,
      size: code.size,
      phone: keyring.seal(phone, sealContext(PARCEL_PHONE, code.parcelId)),
      masked_name: code.maskedName,
      status: 'issued',
      station_id: null,
      compartment_id: null,
      flag_reason: null,
      issued_by: grant.device_id,
      issued_at: issuedAt,
      deposited_at: null,
      closed_at: null,
      updated_at: now.toISOString(),
      delegation_kid: grant.kid,
    })
    .execute();
  return { ok: true, issuedBy: grant.device_id };
}
