import { spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { makeTestIdNumber, SYNC_HEADERS, SYNC_PROTOCOL_VERSION, SYNC_SCHEMA_VERSION, verifyCode, type KeySet } from '@hall/shared';
import { ed25519Check } from '@hall/station/roles/locker';
import { buildServer } from '../app';
import { openDatabase } from '../db/connection';
import type { Database } from '../db/schema';
import { BACKENDS, createPostgresDatabase, openTestDatabase } from '../testing/databases';
import { bearer, citizenPlatform, startTestServer, TEST_PLATFORM_KEY, type TestServer } from '../testing/server';
import { HttpSmsProvider, SmsDispatcher, SmsGatewaySimulator } from '../sms/index';
import { dataKeysFromEnv, defaultKeyFile } from './config';
import { DataKeyError, DataKeyring, parseDataKeys } from './keyring';
import { sealContext, sealDataAtRest } from './atRest';

const pgUrl = inject('postgresUrl');
const versions = { [SYNC_HEADERS.protocol]: String(SYNC_PROTOCOL_VERSION), [SYNC_HEADERS.schema]: String(SYNC_SCHEMA_VERSION) };
const PHONE = ['139', '2468', '1357'].join('');
const key = (id: string) => ({ id, key: randomBytes(32) });

/** Columns the raw reads below select, as the database returns them. */
type RawRow = Record<'id' | 'phone' | 'params_json' | 'private_key' | 'v' | 'status' | 'last_error', string>;

async function rawRows(db: Kysely<Database>, query: string): Promise<RawRow[]> {
  return (await sql<RawRow>`${sql.raw(query)}`.execute(db)).rows;
}

describe('DataKeyring', () => {
  const k1 = key('k1');
  const ring = new DataKeyring([k1]);

  it('seals to a value naming its key that opens only in its own row and column', () => {
    const sealed = ring.seal(PHONE, 'locker_parcels.phone:p1');
    expect(sealed).toMatch(/^hk1\.k1\./);
    expect(sealed).not.toContain(PHONE);
    expect(ring.seal(PHONE, 'locker_parcels.phone:p1')).not.toBe(sealed);
    expect(ring.open(sealed, 'locker_parcels.phone:p1')).toBe(PHONE);
    expect(() => ring.open(sealed, 'locker_parcels.phone:p2')).toThrow(/fails authentication/);
  });

  it('rejects tampered, truncated, unknown-key and plain values', () => {
    const sealed = ring.seal(PHONE, 'c');
    const body = Buffer.from(sealed.split('.')[2]!, 'base64url');
    body[body.length - 20]! ^= 1;
    expect(() => ring.open(`hk1.k1.${body.toString('base64url')}`, 'c')).toThrow(DataKeyError);
    expect(() => ring.open('hk1.k1.AAAA', 'c')).toThrow(/truncated/);
    expect(() => ring.open(sealed.replace('hk1.k1.', 'hk1.k9.'), 'c')).toThrow(/"k9", which is not configured/);
    expect(() => ring.open(PHONE, 'c')).toThrow(/not a sealed value/);
    // Same id, other bytes: refused, never garbage.
    expect(() => new DataKeyring([key('k1')]).open(sealed, 'c')).toThrow(/fails authentication/);
  });

  it('keeps older keys for reading after a rotation', () => {
    const old = ring.seal(PHONE, 'c');
    const rotated = new DataKeyring([key('k2'), k1]);
    expect(rotated.open(old, 'c')).toBe(PHONE);
    expect(rotated.seal(PHONE, 'c')).toMatch(/^hk1\.k2\./);
  });

  it('parses key lists and refuses bad ones with the source named', () => {
    const good = `# comment\nk2:${randomBytes(32).toString('base64')}\nk1:${randomBytes(32).toString('base64')}`;
    expect(new DataKeyring(parseDataKeys(good, 'file')).active).toBe('k2');
    expect(() => new DataKeyring(parseDataKeys(`k1:${randomBytes(16).toString('base64')}`, 'env'))).toThrow(/32 bytes/);
    expect(() => parseDataKeys('nocolon', 'HALL_DATA_KEYS')).toThrow(/HALL_DATA_KEYS: entry 1/);
    expect(() => parseDataKeys('', 'HALL_DATA_KEYS')).toThrow(/no data key/);
    const k = randomBytes(32).toString('base64');
    expect(() => new DataKeyring(parseDataKeys(`a:${k},a:${k}`, 'env'))).toThrow(/twice/);
  });
});

describe('data keys from the environment', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'hall-keys-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('generates a 0600 key file beside an embedded SQLite file and reuses it', async () => {
    const file = path.join(dir, 'hall.sqlite');
    const database = openDatabase({ dialect: 'sqlite', file });
    try {
      const first = await dataKeysFromEnv({}, database);
      expect(first.description).toBe(defaultKeyFile(file));
      expect(statSync(defaultKeyFile(file)).mode & 0o777).toBe(0o600);
      const sealed = first.keyring.seal(PHONE, 'c');
      const second = await dataKeysFromEnv({}, database);
      expect(second.keyring.open(sealed, 'c')).toBe(PHONE);
      chmodSync(defaultKeyFile(file), 0o644);
      await expect(dataKeysFromEnv({}, database)).rejects.toThrow(/readable by group or others/);
      chmodSync(defaultKeyFile(file), 0o600);
      expect(readFileSync(defaultKeyFile(file), 'utf8')).not.toContain(PHONE);
    } finally {
      await database.close();
    }
  });

  it('refuses PostgreSQL without an explicit key, and two sources at once', async () => {
    const fakePg = { dialect: 'postgres' } as Parameters<typeof dataKeysFromEnv>[1];
    await expect(dataKeysFromEnv({}, fakePg)).rejects.toThrow(/PostgreSQL needs an explicit data-encryption key/);
    const inline = `p1:${randomBytes(32).toString('base64')}`;
    expect((await dataKeysFromEnv({ HALL_DATA_KEYS: inline }, fakePg)).keyring.active).toBe('p1');
    await expect(dataKeysFromEnv({ HALL_DATA_KEYS: inline, HALL_DATA_KEY_FILE: '/nope' }, fakePg)).rejects.toThrow(/not both/);
    await expect(dataKeysFromEnv({ HALL_DATA_KEY_FILE: path.join(dir, 'missing') }, fakePg)).rejects.toThrow(/cannot read \(ENOENT\)/);
  });
});

describe('a central API on PostgreSQL', () => {
  it('does not start without an explicit data key', async () => {
    const test = await openTestDatabase('postgres', pgUrl);
    const saved = { keys: process.env.HALL_DATA_KEYS, file: process.env.HALL_DATA_KEY_FILE };
    delete process.env.HALL_DATA_KEYS;
    delete process.env.HALL_DATA_KEY_FILE;
    try {
      await expect(buildServer({ database: test.database })).rejects.toThrow(/PostgreSQL needs an explicit data-encryption key: set HALL_DATA_KEY_FILE/);
    } finally {
      if (saved.keys !== undefined) process.env.HALL_DATA_KEYS = saved.keys;
      if (saved.file !== undefined) process.env.HALL_DATA_KEY_FILE = saved.file;
      await test.dispose();
    }
  });
});

describe('npm start on PostgreSQL', () => {
  it('exits with the reason, before migrating anything, when no data key is configured', async () => {
    const created = await createPostgresDatabase(pgUrl);
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../cli/start.ts', import.meta.url))], {
        env: { ...process.env, DATABASE_URL: created.url, HALL_DATA_KEYS: '', HALL_DATA_KEY_FILE: '', HALL_PORT: '0', HALL_LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(code).toBe(1);
      expect(output).toMatch(/hall server failed to start: PostgreSQL needs an explicit data-encryption key/);
      const client = new pg.Client({ connectionString: created.url });
      await client.connect();
      try {
        expect((await client.query("select count(*)::int as n from information_schema.tables where table_name = 'hall_migrations'")).rows[0].n).toBe(0);
      } finally {
        await client.end();
      }
    } finally {
      await created.drop();
    }
  });
});

describe.each(BACKENDS)('secrets at rest on %s', (dialect) => {
  const k1 = key('k1');
  const k2 = key('k2');
  let server: TestServer;
  let clerk = '';
  let locker = '';
  const gateway = new SmsGatewaySimulator();
  let parcelId = '';

  beforeAll(async () => {
    server = await startTestServer(dialect, pgUrl, { dataKeys: new DataKeyring([k1]) });
    clerk = await server.login('t1-clerk');
    const manager = await server.login('t1-manager');
    const created = await server.app.inject({ method: 'POST', url: '/api/v1/sync/devices', headers: bearer(manager), payload: { id: 'lk-s', hallId: 't1-hall', role: 'locker', name: 'locker' } });
    locker = (await server.app.inject({ method: 'POST', url: '/api/v1/sync/enroll', headers: versions, payload: { code: created.json().enrollmentCode } })).json().credential;
    await gateway.start();
  });
  afterAll(async () => {
    await server.dispose();
    await gateway.close();
  });

  const db = () => server.db.database.db;
  const restart = (keyring: DataKeyring) => buildServer({ database: server.db.database, dataKeys: keyring, citizenPlatformKeys: [TEST_PLATFORM_KEY] });

  it('stores signing keys, the citizen key, phone numbers and pickup codes sealed', async () => {
    const issued = await server.app.inject({
      method: 'POST',
      url: '/api/v1/lockers/deposit-codes',
      headers: bearer(clerk),
      payload: { hallId: 't1-hall', items: [{ caseNumber: 'SEC-1', size: 'small', idNumber: makeTestIdNumber(), name: '王五', phone: PHONE }] },
    });
    expect(issued.statusCode).toBe(201);
    parcelId = issued.json().codes[0].parcelId;
    const event = { id: 'sec-dep-1', type: 'deposited', at: new Date().toISOString(), parcelId, compartmentId: 'A01', size: 'small', caseNumber: 'SEC-1', pickupCode: '24681357' };
    const pushed = await server.app.inject({ method: 'POST', url: '/api/v1/lockers/events', headers: bearer(locker), payload: { events: [event] } });
    expect(pushed.json().results[0].status).toBe('applied');

    const all = JSON.stringify([
      await rawRows(db(), 'select * from locker_parcels'),
      await rawRows(db(), 'select * from sms_outbox'),
      await rawRows(db(), 'select * from residence_keys'),
      await rawRows(db(), 'select * from residence_secrets'),
    ]);
    expect(all).not.toContain(PHONE);
    expect(all).not.toContain('24681357');
    // PKCS#8 DER of an Ed25519 key, base64: the private keys are not there in plain text.
    const plainKey = generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64').slice(0, 16);
    expect(all).not.toContain(plainKey);
    for (const row of await rawRows(db(), 'select private_key from residence_keys')) expect(row.private_key).toMatch(/^hk1\.k1\./);
    for (const row of await rawRows(db(), 'select phone, params_json from sms_outbox')) {
      expect(row.phone).toMatch(/^hk1\.k1\./);
      expect(row.params_json).toMatch(/^hk1\.k1\./);
    }
    // Still usable: the SMS goes to the right number with the pickup code.
    const dispatcher = new SmsDispatcher(db(), server.app.hall.dataKeys, new HttpSmsProvider(gateway.url), () => new Date());
    expect(await dispatcher.runOnce()).toBe(1);
    expect(gateway.messages.at(-1)).toMatchObject({ to: PHONE });
    expect(gateway.messages.at(-1)!.text).toContain('24681357');
  });

  it('a tampered or moved ciphertext is refused: the SMS row fails, others still go out', async () => {
    const issued = await server.app.inject({
      method: 'POST',
      url: '/api/v1/lockers/deposit-codes',
      headers: bearer(clerk),
      payload: {
        hallId: 't1-hall',
        items: [
          { caseNumber: 'SEC-2', size: 'small', idNumber: makeTestIdNumber(), name: '赵六', phone: PHONE },
          { caseNumber: 'SEC-3', size: 'small', idNumber: makeTestIdNumber(), name: '钱七', phone: PHONE },
        ],
      },
    });
    const [a, b] = issued.json().codes as { parcelId: string }[];
    const events = [a!, b!].map((c, i) => ({ id: `sec-dep-t${i}`, type: 'deposited', at: new Date().toISOString(), parcelId: c.parcelId, compartmentId: `A0${i + 2}`, size: 'small', caseNumber: `SEC-${i + 2}`, pickupCode: '11223344' }));
    await server.app.inject({ method: 'POST', url: '/api/v1/lockers/events', headers: bearer(locker), payload: { events } });
    const rows = await rawRows(db(), "select id, phone from sms_outbox where status = 'pending' order by created_at, id");
    expect(rows).toHaveLength(2);
    // Move the second row's sealed number into the first: well-formed, but not its row.
    await sql`update sms_outbox set phone = ${rows[1]!.phone} where id = ${rows[0]!.id}`.execute(db());
    const before = gateway.messages.length;
    const dispatcher = new SmsDispatcher(db(), server.app.hall.dataKeys, new HttpSmsProvider(gateway.url), () => new Date());
    expect(await dispatcher.runOnce()).toBe(1);
    expect(gateway.messages.length).toBe(before + 1);
    const failed = (await rawRows(db(), `select status, last_error from sms_outbox where id = '${rows[0]!.id}'`))[0]!;
    expect(failed.status).toBe('failed');
    expect(failed.last_error).toMatch(/fails authentication/);
    expect(failed.last_error).not.toContain(PHONE);

    // A flipped byte in a parcel's number: the event is not applied on garbage.
    const parcel = (await rawRows(db(), `select phone from locker_parcels where id = '${a!.parcelId}'`))[0]!;
    const flipped = parcel.phone.slice(0, -3) + (parcel.phone.at(-3) === 'A' ? 'B' : 'A') + parcel.phone.slice(-2);
    await sql`update locker_parcels set phone = ${flipped} where id = ${a!.parcelId}`.execute(db());
    const pickup = { id: 'sec-pick-t', type: 'picked_up', at: new Date().toISOString(), parcelId: a!.parcelId, compartmentId: 'A02', by: 'residence_code' };
    const answer = await server.app.inject({ method: 'POST', url: '/api/v1/lockers/events', headers: bearer(locker), payload: { events: [pickup] } });
    expect(answer.statusCode).toBe(500);
    expect(answer.body).not.toContain(PHONE);
    expect((await rawRows(db(), `select status from locker_parcels where id = '${a!.parcelId}'`))[0]!.status).toBe('deposited');
    // Resealing under a new key skips the bad rows (reported, left as they are) and does the rest; rolled back here.
    await expect(
      db()
        .transaction()
        .execute(async (trx) => {
          const report = await sealDataAtRest(trx, new DataKeyring([key('kx'), k1]));
          expect(report.unreadable.sort()).toEqual([sealContext({ table: 'locker_parcels', column: 'phone' }, a!.parcelId), sealContext({ table: 'sms_outbox', column: 'phone' }, rows[0]!.id)].sort());
          expect(report.sealed).toBeGreaterThan(5);
          expect((await rawRows(trx, `select phone from locker_parcels where id = '${a!.parcelId}'`))[0]!.phone).toBe(flipped);
          throw new Error('roll back');
        }),
    ).rejects.toThrow('roll back');
    // Put both rows back, so the rotation below has every row to reseal.
    await sql`update locker_parcels set phone = ${parcel.phone} where id = ${a!.parcelId}`.execute(db());
    await sql`update sms_outbox set phone = ${rows[0]!.phone} where id = ${rows[0]!.id}`.execute(db());
  });

  it('a wrong key stops the start with a clear error; a missing old key too', async () => {
    await expect(restart(new DataKeyring([key('k1')]))).rejects.toThrow(/data key "k1" is not the key that sealed this database's data/);
    await expect(restart(new DataKeyring([key('k7')]))).rejects.toThrow(/sealed under data key "k1", which is not configured/);
  });

  it('rotation: a new active key reseals every row at start, then the old key can go', async () => {
    const rotated = await restart(new DataKeyring([k2, k1]));
    await rotated.close();
    const sealedValues = [
      ...(await rawRows(db(), 'select private_key as v from residence_keys')),
      ...(await rawRows(db(), 'select value as v from residence_secrets')),
      ...(await rawRows(db(), 'select phone as v from locker_parcels')),
      ...(await rawRows(db(), 'select phone as v from sms_outbox')),
    ];
    expect(sealedValues.length).toBeGreaterThan(4);
    for (const row of sealedValues) expect(row.v).toMatch(/^hk1\.k2\./);
    const only = await restart(new DataKeyring([k2]));
    try {
      // The citizen key and signing keys still work under k2 alone.
      const response = await only.inject({ method: 'POST', url: '/api/v1/residence-codes', headers: citizenPlatform(), payload: { idNumber: makeTestIdNumber() } });
      expect(response.statusCode).toBe(201);
      const set = (await only.inject({ method: 'GET', url: '/api/v1/residence-codes/keys' })).json() as KeySet;
      expect(verifyCode(response.json().code, { keySet: set, nowMs: Date.now(), expect: 'residence', checkSignature: ed25519Check }).ok).toBe(true);
    } finally {
      await only.close();
    }
  });

  it('the data migration seals rows a build before encryption left in plain text', async () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const plainKey = privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
    const at = new Date().toISOString();
    await sql`insert into residence_keys (kid, public_key, private_key, sign_from, sign_until, verify_until, created_at) values ('legacy', 'x', ${plainKey}, ${at}, ${at}, ${at}, ${at})`.execute(db());
    await sql`insert into locker_parcels (id, hall_id, case_number, size, phone, masked_name, status, issued_by, issued_at, updated_at) values ('legacy-p', 't1-hall', 'OLD-1', 'small', ${PHONE}, '王*', 'issued', 'x', ${at}, ${at})`.execute(db());
    // A new key alone cannot start: the other rows are under k2 (the rotation test's key).
    await expect(restart(new DataKeyring([key('k3')]))).rejects.toThrow(/not configured/);
    const ring = new DataKeyring([key('k3'), k2]);
    const started = await restart(ring);
    await started.close();
    const parcel = (await rawRows(db(), "select phone from locker_parcels where id = 'legacy-p'"))[0]!;
    expect(parcel.phone).toMatch(/^hk1\.k3\./);
    expect(ring.open(parcel.phone, sealContext({ table: 'locker_parcels', column: 'phone' }, 'legacy-p'))).toBe(PHONE);
    const keyRow = (await rawRows(db(), "select private_key from residence_keys where kid = 'legacy'"))[0]!;
    expect(keyRow.private_key).not.toContain(plainKey.slice(0, 20));
    expect(ring.open(keyRow.private_key, sealContext({ table: 'residence_keys', column: 'private_key' }, 'legacy'))).toBe(plainKey);
  });
});
