import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  decodeCode,
  makeTestIdNumber,
  SYNC_HEADERS,
  SYNC_PROTOCOL_VERSION,
  SYNC_SCHEMA_VERSION,
  verifyCode,
  type KeySet,
  type LockerEvent,
  decodeDelegatedDeposit,
  decodeDelegationCert,
  type DepositDelegationResponse,
} from '@hall/shared';
import { ed25519Check } from '@hall/station/roles/locker';
import { delegatedDepositCodes } from '@hall/station/roles/counter';
import { BACKENDS } from '../testing/databases';
import { bearer, citizenPlatform, startTestServer, type TestServer } from '../testing/server';
import { ROTATION } from '../residence-code/keys';
import { lockerDb } from './tables';
import { sealContext } from '../secrets/atRest';
import { SmsDispatcher, SmsGatewaySimulator, HttpSmsProvider, smsDb } from '../sms/index';

const pgUrl = inject('postgresUrl');
const versions = { [SYNC_HEADERS.protocol]: String(SYNC_PROTOCOL_VERSION), [SYNC_HEADERS.schema]: String(SYNC_SCHEMA_VERSION) };
const PHONE = ['138', '0013', '8000'].join('');

/** The parcel id inside a delegated deposit code (without verifying anything). */
function parcelOf(code: string): string {
  const decoded = decodeDelegatedDeposit(code);
  if (!decoded.ok || decoded.code.code.payload.kind !== 'deposit') throw new Error('not a delegated deposit code');
  return decoded.code.code.payload.parcelId;
}

describe.each(BACKENDS)('residence codes, lockers and SMS on %s', (dialect) => {
  let server: TestServer;
  let clerk = '';
  let lockerCredential = '';
  let now = new Date('2026-11-22T02:00:00.000Z');
  const gateway = new SmsGatewaySimulator();

  beforeAll(async () => {
    server = await startTestServer(dialect, pgUrl, { clock: () => now });
    clerk = await server.login('t1-clerk');
    const manager = await server.login('t1-manager');
    const created = await server.app.inject({ method: 'POST', url: '/api/v1/sync/devices', headers: bearer(manager), payload: { id: 'lk-1', hallId: 't1-hall', role: 'locker', name: 'locker 1' } });
    expect(created.statusCode).toBe(201);
    const enrolled = await server.app.inject({ method: 'POST', url: '/api/v1/sync/enroll', headers: versions, payload: { code: created.json().enrollmentCode } });
    lockerCredential = enrolled.json().credential;
    await gateway.start();
  });
  afterAll(async () => {
    await server.dispose();
    await gateway.close();
  });

  const keys = async (): Promise<KeySet> => (await server.app.inject({ method: 'GET', url: '/api/v1/residence-codes/keys' })).json();

  it('publishes a current and a next key, and rotates them as time passes', async () => {
    const first = await keys();
    expect(first.keys).toHaveLength(2);
    const [current, next] = first.keys;
    expect(next!.signFrom).toBe(current!.signUntil);
    expect(JSON.stringify(first)).not.toMatch(/private/i);
    now = new Date(Date.parse(current!.signUntil) + 1000);
    const later = await keys();
    // The retired key is still published (codes it signed are still valid); a new next key appeared.
    expect(later.keys.map((k) => k.kid)).toEqual([current!.kid, next!.kid, later.keys[2]!.kid]);
    now = new Date(Date.parse(current!.verifyUntil) + 1000);
    expect((await keys()).keys.map((k) => k.kid)).not.toContain(current!.kid);
    now = new Date('2026-11-22T02:00:00.000Z');
    expect(ROTATION.verifyGraceMs).toBeGreaterThan(7 * 24 * 3600 * 1000);
  });

  it('issues a residence code only to the citizen platform, and it verifies offline', async () => {
    const idNumber = makeTestIdNumber();
    expect((await server.app.inject({ method: 'POST', url: '/api/v1/residence-codes', payload: { idNumber } })).statusCode).toBe(401);
    const bad = await server.app.inject({ method: 'POST', url: '/api/v1/residence-codes', headers: citizenPlatform(), payload: { idNumber: '110105194912310021' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).not.toContain('110105194912310021');
    const response = await server.app.inject({ method: 'POST', url: '/api/v1/residence-codes', headers: citizenPlatform(), payload: { idNumber } });
    expect(response.statusCode).toBe(201);
    const { code } = response.json() as { code: string };
    expect(code).toMatch(/^HRC1\./);
    expect(code).not.toContain(idNumber);
    const set = await keys();
    const verified = verifyCode(code, { keySet: set, nowMs: now.getTime(), expect: 'residence', checkSignature: ed25519Check });
    expect(verified.ok).toBe(true);
    const again = await server.app.inject({ method: 'POST', url: '/api/v1/residence-codes', headers: citizenPlatform(), payload: { idNumber } });
    const a = decodeCode(code);
    const b = decodeCode(again.json().code);
    // Same person, same subject; a fresh nonce each time.
    expect(a.ok && b.ok && Buffer.from(a.code.payload.kind === 'residence' ? a.code.payload.subject : []).equals(Buffer.from(b.code.payload.kind === 'residence' ? b.code.payload.subject : []))).toBe(true);
    expect(a.ok && b.ok && a.code.payload.nonce !== b.code.payload.nonce).toBe(true);
    expect(verifyCode(code, { keySet: set, nowMs: now.getTime() + 10 * 60_000, expect: 'residence', checkSignature: ed25519Check })).toEqual({ ok: false, reason: 'expired' });
  });

  it('deposit codes → deposited event → one SMS with the pickup code, sent once despite resends and a lost answer', async () => {
    const idNumber = makeTestIdNumber();
    const issued = await server.app.inject({
      method: 'POST',
      url: '/api/v1/lockers/deposit-codes',
      headers: bearer(clerk),
      payload: { hallId: 't1-hall', items: [{ caseNumber: 'SW-0001', size: 'small', idNumber, name: '张三丰', phone: PHONE }] },
    });
    expect(issued.statusCode).toBe(201);
    const [deposit] = issued.json().codes as { parcelId: string; code: string }[];
    const verified = verifyCode(deposit!.code, { keySet: await keys(), nowMs: now.getTime(), expect: 'deposit', checkSignature: ed25519Check, hallId: 't1-hall' });
    expect(verified.ok && verified.payload.maskedName).toBe('张*丰');
    expect(deposit!.code).not.toContain(PHONE);

    const event: LockerEvent = { id: 'ev-1-deposit', type: 'deposited', at: now.toISOString(), parcelId: deposit!.parcelId, compartmentId: 'A01', size: 'small', caseNumber: 'SW-0001', pickupCode: '12345678' };
    const push = () => server.app.inject({ method: 'POST', url: '/api/v1/lockers/events', headers: bearer(lockerCredential), payload: { events: [event] } });
    expect((await push()).json().results).toEqual([{ id: 'ev-1-deposit', status: 'applied' }]);
    expect((await push()).json().results).toEqual([{ id: 'ev-1-deposit', status: 'duplicate' }]);
    // A clerk is not a locker.
    expect((await server.app.inject({ method: 'POST', url: '/api/v1/lockers/events', headers: bearer(clerk), payload: { events: [event] } })).statusCode).toBe(403);

    const dispatcher = new SmsDispatcher(server.db.database.db, server.app.hall.dataKeys, new HttpSmsProvider(gateway.url), () => now, undefined, { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 60_000, leaseMs: 5000 });
    gateway.failNext(503);
    expect(await dispatcher.runOnce()).toBe(0);
    // Retried only after the backoff.
    expect(await dispatcher.runOnce()).toBe(0);
    now = new Date(now.getTime() + 1500);
    gateway.dropAfterAccept();
    expect(await dispatcher.runOnce()).toBe(0);
    expect(gateway.messages).toHaveLength(1);
    // The lease runs out, the resend carries the same key: the gateway sends nothing new.
    now = new Date(now.getTime() + 60_000);
    expect(await dispatcher.runOnce()).toBe(1);
    expect(gateway.messages).toHaveLength(1);
    expect(gateway.messages[0]!.text).toContain('12345678');
    expect(gateway.messages[0]!.to).toBe(PHONE);
    expect(await dispatcher.runOnce()).toBe(0);
    const row = await smsDb(server.db.database.db).selectFrom('sms_outbox').selectAll().executeTakeFirstOrThrow();
    expect(row.status).toBe('sent');
    expect(server.app.hall.dataKeys.open(row.params_json, sealContext({ table: 'sms_outbox', column: 'params_json' }, row.id))).not.toContain('12345678');
    const events = await server.db.database.db.withTables<{ locker_events: { data_json: string } }>().selectFrom('locker_events').select('data_json').execute();
    expect(JSON.stringify(events)).not.toContain('12345678');

    const pickedUp: LockerEvent = { id: 'ev-1-pickup', type: 'picked_up', at: now.toISOString(), parcelId: deposit!.parcelId, compartmentId: 'A01', by: 'residence_code' };
    await server.app.inject({ method: 'POST', url: '/api/v1/lockers/events', headers: bearer(lockerCredential), payload: { events: [pickedUp] } });
    expect(await dispatcher.runOnce()).toBe(1);
    expect(gateway.messages.at(-1)!.text).toMatch(/已于.*取出/);
  });

  it('door left open and door jammed become hall alerts, shown on the live hall until a manager acknowledges them (audited)', async () => {
    const issued = await server.app.inject({
      method: 'POST',
      url: '/api/v1/lockers/deposit-codes',
      headers: bearer(clerk),
      payload: { hallId: 't1-hall', items: [{ caseNumber: 'SW-ALERT', size: 'small', idNumber: makeTestIdNumber(), name: '孙八', phone: PHONE }] },
    });
    const parcelId = issued.json().codes[0].parcelId as string;
    const at = now.toISOString();
    const events: LockerEvent[] = [
      { id: 'ev-a-deposit', type: 'deposited', at, parcelId, compartmentId: 'B02', size: 'small', caseNumber: 'SW-ALERT', pickupCode: '13572468' },
      { id: 'ev-a-left-open', type: 'door_left_open', at, parcelId, compartmentId: 'B02' },
      { id: 'ev-a-jammed', type: 'flagged', at, parcelId, compartmentId: 'B02', reason: 'door_jammed' },
    ];
    const push = (batch: LockerEvent[]) => server.app.inject({ method: 'POST', url: '/api/v1/lockers/events', headers: bearer(lockerCredential), payload: { events: batch } });
    expect((await push(events)).json().results.map((r: { status: string }) => r.status)).toEqual(['applied', 'applied', 'applied']);
    // The station resends after a lost answer: no second alert.
    expect((await push(events.slice(1))).json().results.map((r: { status: string }) => r.status)).toEqual(['duplicate', 'duplicate']);

    const manager = await server.login('t1-manager');
    const live = async () =>
      ((await server.app.inject({ method: 'GET', url: '/api/v1/admin/halls/t1-hall/live', headers: bearer(manager) })).json().alerts as { kind: string; subject: string; detail: string; id?: string }[]).filter(
        (a) => a.kind === 'locker',
      );
    const shown = await live();
    expect(shown.map((a) => [a.id, a.detail, a.subject])).toEqual(
      expect.arrayContaining([
        ['ev-a-left-open', 'door_left_open', 'locker 1 B02'],
        ['ev-a-jammed', 'door_jammed', 'locker 1 B02'],
      ]),
    );
    expect(shown).toHaveLength(2);
    // A locker pushes no sync mutations: its event pushes and keyed key fetches show it online, not a false "device offline" alert.
    const devices = async () => (await server.app.inject({ method: 'GET', url: '/api/v1/admin/halls/t1-hall/devices', headers: bearer(manager) })).json().devices as { id: string; status: string }[];
    expect((await devices()).find((d) => d.id === 'lk-1')?.status).toBe('online');
    now = new Date(now.getTime() + 10 * 60_000);
    expect((await devices()).find((d) => d.id === 'lk-1')?.status).toBe('offline');
    await server.app.inject({ method: 'GET', url: '/api/v1/residence-codes/keys', headers: bearer(lockerCredential) });
    expect((await devices()).find((d) => d.id === 'lk-1')?.status).toBe('online');
    const listed = await server.app.inject({ method: 'GET', url: '/api/v1/lockers/alerts?hallId=t1-hall&open=1', headers: bearer(manager) });
    expect(listed.json().alerts.map((a: { caseNumber: string }) => a.caseNumber)).toEqual(['SW-ALERT', 'SW-ALERT']);
    expect(listed.body).not.toContain(PHONE);

    const ack = (id: string, token: string, hallId = 't1-hall') =>
      server.app.inject({ method: 'POST', url: `/api/v1/lockers/alerts/${id}/acknowledge`, headers: bearer(token), payload: { hallId } });
    expect((await ack('ev-a-left-open', clerk)).statusCode).toBe(403);
    expect((await ack('ev-a-left-open', await server.login('t2-manager'), 't2-hall')).statusCode).toBe(404);
    expect((await ack('ev-a-left-open', await server.login('t2-manager'))).statusCode).toBe(403);
    expect((await ack('ev-unknown-1', manager)).statusCode).toBe(404);
    const done = await ack('ev-a-left-open', manager);
    expect(done.statusCode).toBe(200);
    expect((await ack('ev-a-left-open', manager)).statusCode).toBe(409);
    expect((await live()).map((a) => a.id)).toEqual(['ev-a-jammed']);
    const history = await server.app.inject({ method: 'GET', url: '/api/v1/lockers/alerts?hallId=t1-hall', headers: bearer(manager) });
    expect(history.json().alerts.find((a: { id: string }) => a.id === 'ev-a-left-open')).toMatchObject({ acknowledgedBy: 't1-mgr' });
    const audit = await server.db.database.db.selectFrom('audit_log').select(['action', 'actor_id', 'entity_id']).where('entity', '=', 'locker_alert').execute();
    // One entry: refused and repeated acknowledgements leave none.
    expect(audit).toEqual([{ action: 'acknowledge', actor_id: 't1-mgr', entity_id: 'ev-a-left-open' }]);
  });

  it('certifies deposit keys for counter devices of their own hall only; a locker deposit with a counter-signed code is accepted and credited to it', async () => {
    const enrol = async (id: string, hallId: string, role: string, manager: string) => {
      const created = await server.app.inject({ method: 'POST', url: '/api/v1/sync/devices', headers: bearer(await server.login(manager)), payload: { id, hallId, role, name: id } });
      expect(created.statusCode, id).toBe(201);
      return (await server.app.inject({ method: 'POST', url: '/api/v1/sync/enroll', headers: versions, payload: { code: created.json().enrollmentCode } })).json().credential as string;
    };
    const counter = await enrol('ct-d1', 't1-hall', 'counter', 't1-manager');
    const kiosk = await enrol('ks-d1', 't1-hall', 'kiosk', 't1-manager');
    const otherCounter = await enrol('ct-d2', 't2-hall', 'counter', 't2-manager');
    const { generateKeyPairSync } = await import('node:crypto');
    const ask = (credential: string | undefined) => {
      const { publicKey, privateKey } = generateKeyPairSync('ed25519');
      const der = publicKey.export({ format: 'der', type: 'spki' });
      return server.app
        .inject({
          method: 'POST',
          url: '/api/v1/lockers/deposit-delegation',
          ...(credential ? { headers: bearer(credential) } : {}),
          payload: { publicKey: der.subarray(der.length - 32).toString('base64url') },
        })
        .then((response) => ({ response, privateKey: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64') }));
    };
    expect((await ask(undefined)).response.statusCode).toBe(401);
    for (const who of [clerk, kiosk, lockerCredential]) expect((await ask(who)).response.statusCode).toBe(403);
    const mine = await ask(counter);
    expect(mine.response.statusCode).toBe(201);
    const grant = mine.response.json() as DepositDelegationResponse;
    expect(grant).toMatchObject({ hallId: 't1-hall', deviceId: 'ct-d1' });
    expect(Date.parse(grant.notAfter) - Date.parse(grant.notBefore)).toBe(2 * 24 * 3600 * 1000);
    expect(decodeDelegationCert(grant.certificate)?.payload).toMatchObject({ hallId: 't1-hall', deviceId: 'ct-d1', delegatedKid: grant.delegatedKid });
    // The phone key is sealed at rest.
    const stored = await server.db.database.db.withTables<{ locker_delegations: { kid: string; phone_key: string } }>().selectFrom('locker_delegations').selectAll().execute();
    expect(JSON.stringify(stored)).not.toContain(grant.phoneKey);

    // The API goes away; the counter prints a code with its own key; a locker deposits; the API is back.
    const sign = (delegation: { privateKey: string; grant: DepositDelegationResponse }, caseNumber: string, hallId = 't1-hall') => {
      const issued = delegatedDepositCodes({ hallId, citizenKey: 'k', delegation: () => delegation, now: () => now.getTime() })({ caseNumber, size: 'small', idNumber: makeTestIdNumber(), name: '王五', phone: PHONE });
      if (!issued.ok) throw new Error(issued.message);
      return issued.code;
    };
    const code = sign({ privateKey: mine.privateKey, grant }, 'SW-OFF-1');
    const verified = verifyCode(code, { keySet: await keys(), nowMs: now.getTime(), expect: 'deposit', checkSignature: ed25519Check, hallId: 't1-hall' });
    expect(verified.ok).toBe(true);
    const parcelId = verified.ok ? verified.payload.parcelId : '';
    const deposit = (id: string, delegatedCode: string, parcel = parcelId): LockerEvent => ({ id, type: 'deposited', at: now.toISOString(), parcelId: parcel, compartmentId: 'C01', size: 'small', caseNumber: 'SW-OFF-1', pickupCode: '24681357', delegatedCode });
    const push = async (events: LockerEvent[]) =>
      (await server.app.inject({ method: 'POST', url: '/api/v1/lockers/events', headers: bearer(lockerCredential), payload: { events } })).json().results as { id: string; status: string; reason?: string }[];
    // Tampered before it reached the API: refused, nothing recorded.
    const bytes = Buffer.from(code.slice(5), 'base64url');
    bytes[bytes.length - 70] = bytes[bytes.length - 70]! ^ 1;
    expect(await push([deposit('ev-d-tampered', `HDD1.${bytes.toString('base64url')}`)])).toEqual([{ id: 'ev-d-tampered', status: 'rejected', reason: 'delegated code refused: forged' }]);
    expect(await push([deposit('ev-d-first', code)])).toEqual([{ id: 'ev-d-first', status: 'applied' }]);
    const parcels = lockerDb(server.db.database.db).selectFrom('locker_parcels').selectAll().where('id', '=', parcelId);
    expect(await parcels.executeTakeFirst()).toMatchObject({ status: 'deposited', issued_by: 'ct-d1', delegation_kid: grant.delegatedKid, case_number: 'SW-OFF-1', masked_name: '王*', station_id: 'lk-1' });
    const sms = await smsDb(server.db.database.db).selectFrom('sms_outbox').selectAll().where('idempotency_key', '=', `${parcelId}:deposited`).execute();
    expect(sms).toHaveLength(1);
    expect(server.app.hall.dataKeys.open(sms[0]!.phone, sealContext({ table: 'sms_outbox', column: 'phone' }, sms[0]!.id))).toBe(PHONE);
    const history = await server.db.database.db.withTables<{ locker_events: { id: string; data_json: string } }>().selectFrom('locker_events').select('data_json').where('id', '=', 'ev-d-first').execute();
    expect(JSON.stringify(history)).not.toContain('HDD1.');
    // Single use here too: the same code again (another event) finds the parcel deposited.
    expect(await push([deposit('ev-d-second', code)])).toEqual([{ id: 'ev-d-second', status: 'rejected', reason: 'parcel is deposited' }]);

    // Another hall's counter: its certificate names its hall, not this locker's.
    const theirs = await ask(otherCounter);
    const theirGrant = theirs.response.json() as DepositDelegationResponse;
    expect(theirGrant).toMatchObject({ hallId: 't2-hall', deviceId: 'ct-d2' });
    const foreign = sign({ privateKey: theirs.privateKey, grant: { ...theirGrant, hallId: 't1-hall' } }, 'SW-OFF-2');
    const foreignParcel = verifyCode(foreign, { keySet: await keys(), nowMs: now.getTime(), expect: 'deposit', checkSignature: ed25519Check, hallId: 't1-hall' });
    expect(foreignParcel).toEqual({ ok: false, reason: 'certificate_wrong_hall' });
    const foreignId = parcelOf(foreign);
    expect(await push([deposit('ev-d-foreign', foreign, foreignId)])).toEqual([{ id: 'ev-d-foreign', status: 'rejected', reason: 'delegated code refused: certificate_wrong_hall' }]);
    // A counter revoked since: its codes are no longer accepted (the locker holds such a parcel for staff).
    const later = sign({ privateKey: mine.privateKey, grant }, 'SW-OFF-3');
    await server.db.database.db.updateTable('devices').set({ revoked_at: now.toISOString() }).where('id', '=', 'ct-d1').execute();
    expect(await push([deposit('ev-d-revoked', later, parcelOf(later))])).toEqual([
      { id: 'ev-d-revoked', status: 'rejected', reason: 'delegated code: counter ct-d1 is no longer a counter of this hall' },
    ]);
    // A counter's code can never take over a parcel the API issued itself.
    const central = await server.app.inject({
      method: 'POST',
      url: '/api/v1/lockers/deposit-codes',
      headers: bearer(clerk),
      payload: { hallId: 't1-hall', items: [{ caseNumber: 'SW-C', size: 'small', idNumber: makeTestIdNumber(), name: '赵六', phone: PHONE }] },
    });
    expect(await push([deposit('ev-d-takeover', later, central.json().codes[0].parcelId)])).toEqual([{ id: 'ev-d-takeover', status: 'rejected', reason: 'parcel was issued centrally, not by this code' }]);
    // The citizen collects it like any other parcel.
    expect(await push([{ id: 'ev-d-pickup', type: 'picked_up', at: now.toISOString(), parcelId, compartmentId: 'C01', by: 'residence_code' }])).toEqual([{ id: 'ev-d-pickup', status: 'applied' }]);
  });

  it('refuses a second deposit of one parcel and lists unclaimed parcels after six months', async () => {
    const issued = await server.app.inject({
      method: 'POST',
      url: '/api/v1/lockers/deposit-codes',
      headers: bearer(clerk),
      payload: { hallId: 't1-hall', items: [{ caseNumber: 'SW-0002', size: 'large', idNumber: makeTestIdNumber(), name: '李四', phone: PHONE }] },
    });
    const parcelId = issued.json().codes[0].parcelId as string;
    const base = { type: 'deposited' as const, at: now.toISOString(), parcelId, compartmentId: 'A04', size: 'large' as const, caseNumber: 'SW-0002', pickupCode: '87654321' };
    const results = (
      await server.app.inject({ method: 'POST', url: '/api/v1/lockers/events', headers: bearer(lockerCredential), payload: { events: [{ ...base, id: 'ev-2-first' }, { ...base, id: 'ev-2-second' }] } })
    ).json().results;
    expect(results).toEqual([{ id: 'ev-2-first', status: 'applied' }, { id: 'ev-2-second', status: 'rejected', reason: 'parcel is deposited' }]);
    // Logs in each time: six months outlive any session.
    const list = async () => (await server.app.inject({ method: 'GET', url: '/api/v1/lockers/unclaimed?hallId=t1-hall', headers: bearer(await server.login('t1-clerk')) })).json().parcels as { caseNumber: string }[];
    // A flagged parcel (the jammed door above) goes back to the counter at once; the others after six months.
    expect((await list()).map((p) => p.caseNumber)).toEqual(['SW-ALERT']);
    now = new Date(now.getTime() + 183 * 24 * 3600 * 1000);
    expect((await list()).map((p) => p.caseNumber).sort()).toEqual(['SW-0002', 'SW-ALERT']);
    expect(JSON.stringify(await list())).not.toContain(PHONE);
  });
});
