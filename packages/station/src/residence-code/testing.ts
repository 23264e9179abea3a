import { createHash, createHmac, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { sealResidenceFieldsForTest } from './personal';
import {
  encodeBase64Url,
  encodeDelegationCert,
  formatDelegationCert,
  type DepositDelegationResponse,
  encodeCodePayload,
  formatCode,
  maskName,
  type CodeBody,
  type DataKeyRing,
  type ResidenceFields,
  SEAL_AAD_BYTES,
  type CompartmentSize,
  type KeySet,
  type StaffPurpose,
} from '@hall/shared';

interface TestKey {
  kid: string;
  privateKey: KeyObject;
  publicRaw: Uint8Array;
}

/**
 * A stand-in for the central API's signer in station tests: real Ed25519 keys and the
 * real layout, so the station verifies exactly what the server would send.
 */
export class TestCodeIssuer {
  readonly keys: TestKey[] = [];
  /** The city's citizen-hash key as the stations hold it (text, used as the HMAC key). */
  readonly citizenKey = randomBytes(32).toString('base64');

  constructor(private readonly now: () => number = Date.now) {
    this.addKey();
  }

  addKey(): TestKey {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const der = publicKey.export({ format: 'der', type: 'spki' });
    const key = { kid: randomBytes(8).toString('hex'), privateKey, publicRaw: new Uint8Array(der.subarray(der.length - 32)) };
    this.keys.push(key);
    return key;
  }

  keySet(generatedAtMs = this.now()): KeySet {
    const day = 24 * 3600 * 1000;
    return {
      issuer: 'test',
      generatedAt: new Date(generatedAtMs).toISOString(),
      keys: this.keys.map((k) => ({
        kid: k.kid,
        publicKey: encodeBase64Url(k.publicRaw),
        signFrom: new Date(generatedAtMs - 30 * day).toISOString(),
        signUntil: new Date(generatedAtMs + 30 * day).toISOString(),
        verifyUntil: new Date(generatedAtMs + 90 * day).toISOString(),
      })),
    };
  }

  subjectOf(idNumber: string): Uint8Array {
    return new Uint8Array(createHmac('sha256', this.citizenKey).update(idNumber).digest());
  }

  /** The residence-code data keys (码上填表) as the central API hands them to kiosks and counters. */
  readonly dataKeys: { kid: string; key: Uint8Array }[] = [{ kid: randomBytes(4).toString('hex'), key: new Uint8Array(randomBytes(32)) }];

  dataKeyRing(generatedAtMs = this.now()): DataKeyRing {
    const day = 24 * 3600 * 1000;
    return {
      generatedAt: new Date(generatedAtMs).toISOString(),
      keys: this.dataKeys.map((k) => ({
        kid: k.kid,
        key: encodeBase64Url(k.key),
        sealFrom: new Date(generatedAtMs - 30 * day).toISOString(),
        sealUntil: new Date(generatedAtMs + 30 * day).toISOString(),
        openUntil: new Date(generatedAtMs + 31 * day).toISOString(),
      })),
    };
  }

  sign(
    body: CodeBody,
    options: { lifetimeSeconds?: number; issuedAtMs?: number; key?: TestKey; seal?: (header: Uint8Array) => Uint8Array } = {},
  ): string {
    const key = options.key ?? this.keys[0]!;
    const issuedAt = Math.floor((options.issuedAtMs ?? this.now()) / 1000);
    const payload = { ...body, kid: key.kid, issuedAt, expiresAt: issuedAt + (options.lifetimeSeconds ?? 120), nonce: randomBytes(12).toString('hex') };
    if (options.seal && payload.kind === 'residence') payload.sealed = options.seal(encodeCodePayload(payload).slice(0, SEAL_AAD_BYTES));
    const signed = encodeCodePayload(payload);
    return formatCode(body.kind, signed, new Uint8Array(sign(null, signed, key.privateKey)));
  }

  /** With `fields`, the code carries them sealed under a data key (the first unless `dataKey` says). */
  residence(
    idNumber: string,
    options: { lifetimeSeconds?: number; issuedAtMs?: number; key?: TestKey; fields?: Omit<ResidenceFields, 'idNumber'>; dataKey?: { kid: string; key: Uint8Array } } = {},
  ): string {
    const { fields, dataKey = this.dataKeys[0]!, ...rest } = options;
    const seal = fields && ((header: Uint8Array) => sealResidenceFieldsForTest(dataKey.kid, dataKey.key, { ...fields, idNumber }, header));
    return this.sign({ kind: 'residence', subject: this.subjectOf(idNumber) }, { ...rest, ...(seal ? { seal } : {}) });
  }

  deposit(fields: { parcelId: string; hallId: string; caseNumber: string; size: CompartmentSize; idNumber: string; name: string }, lifetimeSeconds = 7 * 24 * 3600): string {
    const idCheckSalt = new Uint8Array(randomBytes(16));
    return this.sign(
      {
        kind: 'deposit',
        parcelId: fields.parcelId,
        hallId: fields.hallId,
        caseNumber: fields.caseNumber,
        size: fields.size,
        subject: this.subjectOf(fields.idNumber),
        idCheckSalt,
        idCheckHash: new Uint8Array(createHash('sha256').update(idCheckSalt).update(fields.idNumber).digest()),
        maskedName: maskName(fields.name),
      },
      { lifetimeSeconds },
    );
  }

  staff(staffId: string, hallId: string, purpose: StaffPurpose = 'return_unclaimed'): string {
    return this.sign({ kind: 'staff', staffId, hallId, purpose }, { lifetimeSeconds: 600 });
  }

  /**
   * What the central API gives a counter for offline deposit codes: the counter's own key
   * pair with a certificate signed by a city key of this issuer (by default valid 2 days from now).
   */
  delegation(fields: { hallId: string; deviceId: string; issuedAtMs?: number; lifetimeSeconds?: number; key?: TestKey }): {
    privateKey: string;
    grant: DepositDelegationResponse;
  } {
    const cityKey = fields.key ?? this.keys[0]!;
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const der = publicKey.export({ format: 'der', type: 'spki' });
    const issuedAt = Math.floor((fields.issuedAtMs ?? this.now()) / 1000);
    const expiresAt = issuedAt + (fields.lifetimeSeconds ?? 2 * 24 * 3600);
    const delegatedKid = randomBytes(8).toString('hex');
    const signed = encodeDelegationCert({
      kid: cityKey.kid,
      issuedAt,
      expiresAt,
      hallId: fields.hallId,
      deviceId: fields.deviceId,
      delegatedKid,
      publicKey: new Uint8Array(der.subarray(der.length - 32)),
    });
    return {
      privateKey: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
      grant: {
        certificate: formatDelegationCert(signed, new Uint8Array(sign(null, signed, cityKey.privateKey))),
        delegatedKid,
        hallId: fields.hallId,
        deviceId: fields.deviceId,
        notBefore: new Date(issuedAt * 1000).toISOString(),
        notAfter: new Date(expiresAt * 1000).toISOString(),
        phoneKey: randomBytes(32).toString('base64url'),
      },
    };
  }
}
