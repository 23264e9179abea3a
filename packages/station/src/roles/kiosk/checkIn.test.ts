import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTestIdNumber, zonedInstant, type Appointment, type Catalogue } from '@hall/shared';
import type { TicketPrinter } from '@hall/devices';
import { StationCore } from '../../core';
import { testCatalogue } from '../../testing/hall';
import { encodeWav, parseWav } from '../../voice/wav';
import { appointmentTiming } from './appointments';
import { citizenIdHash } from './citizens';
import { openKioskDb } from './kioskDb';
import { KioskRole, type KioskRoleOptions } from './role';
import { PromptVoice } from './speech';

const zone = 'Asia/Shanghai';
const DAY = '2026-11-23';
const KEY = 'test-key';
const rules = { appointmentEarlyMinutes: 30, appointmentLateMinutes: 15 };

function catalogue(): Catalogue {
  const base = testCatalogue();
  return {
    ...base,
    queues: base.queues.map((q) => (q.id === 'qA' ? { ...q, kinds: [...q.kinds, 'appointment' as const] } : q)),
    callingRules: { ...base.callingRules, ...rules },
  };
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A kiosk role on a real station store, at a fixed instant of DAY; `remote` is what the central API would answer. */
function kiosk(time: string, remote: Appointment[] | undefined, printer?: TicketPrinter, kioskDbFile = ':memory:', extra: Partial<KioskRoleOptions> = {}) {
  const clock = { now: zonedInstant(DAY, time, zone) };
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-checkin-'));
  dirs.push(dir);
  const core = StationCore.open(join(dir, 'station.db'), { deviceId: 'k1', hallId: 'hall-1', role: 'kiosk' }, () => clock.now);
  core.store.replaceCatalogue(catalogue());
  core.store.addNumberBlock({ queueId: 'qA', day: DAY, start: 21, end: 25 });
  const answer = { remote };
  const role = new KioskRole({
    db: openKioskDb(kioskDbFile),
    core,
    emit: () => undefined,
    idHashKey: KEY,
    followUrlBase: 'https://hall.example/follow',
    appointments: async () => answer.remote,
    ...(printer ? { ticketPrinter: printer } : {}),
    voice: new PromptVoice(async () => encodeWav({ format: { sampleRate: 8000, channels: 1, bitsPerSample: 16 }, data: Buffer.alloc(1600, 0x40) })),
    now: () => clock.now,
    ...extra,
  });
  return { role, core, clock, answer };
}

function booked(idNumber: string, slot = { from: '10:00', to: '10:30' }, id = 'ap-1'): Appointment {
  return {
    id,
    hallId: 'hall-1',
    serviceId: 's1',
    date: DAY,
    slot,
    citizen: { maskedName: '张*三', idHash: citizenIdHash(idNumber, KEY) },
    status: 'booked',
    bookedAt: '2026-11-20T02:00:00.000Z',
  };
}

describe('appointment timing', () => {
  const appointment = { date: DAY, slot: { from: '10:00', to: '10:30' }, status: 'booked' as const };
  const at = (time: string) => zonedInstant(DAY, time, zone);
  it('opens the early allowance before the slot and keeps priority until the grace after it', () => {
    expect(appointmentTiming(appointment, rules, zone, at('09:29'), false).state).toBe('early');
    expect(appointmentTiming(appointment, rules, zone, at('09:30'), false)).toEqual({ state: 'open', checkInFrom: new Date(at('09:30')).toISOString() });
    expect(appointmentTiming(appointment, rules, zone, at('10:45'), false).state).toBe('open');
    expect(appointmentTiming(appointment, rules, zone, at('10:46'), false).state).toBe('late');
    expect(appointmentTiming(appointment, rules, zone, at('10:00'), true).state).toBe('checked_in');
    expect(appointmentTiming({ ...appointment, status: 'checked_in' }, rules, zone, at('10:00'), false).state).toBe('checked_in');
  });
});

describe('kiosk check-in', () => {
  const idNumber = makeTestIdNumber({ birthDate: '1985-05-05' });

  it('checks in from the leased block with the appointment priority, offline from the stored list, and only once', async () => {
    const { role, core, answer } = kiosk('09:45', [booked(idNumber), booked(makeTestIdNumber({ birthDate: '1970-01-01' }), undefined, 'ap-other')]);
    const citizen = role.vault.addTyped(idNumber, DAY, []);
    expect(await role.appointments({ citizenHandle: citizen.handle })).toEqual({
      fresh: true,
      appointments: [{ id: 'ap-1', serviceId: 's1', slot: { from: '10:00', to: '10:30' }, state: 'open', checkInFrom: new Date(zonedInstant(DAY, '09:30', zone)).toISOString() }],
    });
    // The link drops: the stored list still answers.
    answer.remote = undefined;
    expect((await role.appointments({ citizenHandle: citizen.handle })).fresh).toBe(false);
    const result = await role.checkIn({ citizenHandle: citizen.handle, appointmentId: 'ap-1' });
    expect(result.late).toBe(false);
    expect(result.issued.ticket).toMatchObject({ number: 'A021', kind: 'appointment', appointmentId: 'ap-1', appointmentPriorityFrom: new Date(zonedInstant(DAY, '09:30', zone)).toISOString() });
    const outbox = core.store.outbox();
    expect(outbox.at(-1)).toMatchObject({ type: 'checkIn', status: 'pending', payload: { sequence: 21, appointment: { id: 'ap-1' } } });
    expect((await role.appointments({ citizenHandle: citizen.handle })).appointments[0]?.state).toBe('checked_in');
    await expect(role.checkIn({ citizenHandle: citizen.handle, appointmentId: 'ap-1' })).rejects.toHaveProperty('refusal', { reason: 'appointment_checked_in' });
    // Another citizen's appointment is not theirs to check in.
    await expect(role.checkIn({ citizenHandle: citizen.handle, appointmentId: 'ap-other' })).rejects.toMatchObject({ error: { reason: 'unknown_appointment' } });
  });

  it('checks in one ticket for every matter booked for the slot (一号联办), with their sub numbers on the slip', async () => {
    const { role } = kiosk('09:45', [{ ...booked(idNumber), moreServiceIds: ['s2'] }]);
    const citizen = role.vault.addTyped(idNumber, DAY, []);
    expect((await role.appointments({ citizenHandle: citizen.handle })).appointments[0]).toMatchObject({ serviceId: 's1', moreServiceIds: ['s2'] });
    const result = await role.checkIn({ citizenHandle: citizen.handle, appointmentId: 'ap-1' });
    expect(result.issued.ticket).toMatchObject({ number: 'A021', kind: 'appointment', serviceIds: ['s1', 's2'] });
    expect(result.issued.print.preview).toContain('A021-2');
  });

  it('tells an early arrival when check-in opens and gives a late one an ordinary ticket', async () => {
    const early = kiosk('08:50', [booked(idNumber)]);
    const handle = early.role.vault.addTyped(idNumber, DAY, []).handle;
    await early.role.appointments({ citizenHandle: handle });
    await expect(early.role.checkIn({ citizenHandle: handle, appointmentId: 'ap-1' })).rejects.toHaveProperty('refusal', {
      reason: 'appointment_early',
      serviceId: 's1',
      opensAt: new Date(zonedInstant(DAY, '09:30', zone)).toISOString(),
    });
    expect(early.core.store.outbox()).toHaveLength(0);

    const late = kiosk('11:00', [booked(idNumber)]);
    const lateHandle = late.role.vault.addTyped(idNumber, DAY, []).handle;
    await late.role.appointments({ citizenHandle: lateHandle });
    const result = await late.role.checkIn({ citizenHandle: lateHandle, appointmentId: 'ap-1' });
    expect(result.late).toBe(true);
    expect(result.issued.ticket.appointmentPriorityFrom).toBeUndefined();
  });
});

describe('reprint of a ticket the hall refused', () => {
  it('comes from the print record, survives a restart and says the ticket was not accepted', async () => {
    const idNumber = makeTestIdNumber({ birthDate: '1988-08-08' });
    const dir = mkdtempSync(join(tmpdir(), 'kiosk-reprint-'));
    dirs.push(dir);
    const file = join(dir, 'kiosk.db');
    const { role, core } = kiosk('10:00', [booked(idNumber)], undefined, file);
    const handle = role.vault.addTyped(idNumber, DAY, []).handle;
    await role.appointments({ citizenHandle: handle });
    const result = await role.checkIn({ citizenHandle: handle, appointmentId: 'ap-1' });
    const { number, id } = result.issued.ticket;
    expect(await role.reprint(number)).toMatchObject({ ticket: { id } });
    expect((await role.reprint(number))?.refused).toBeUndefined();

    // The central API refuses the check-in: the ticket leaves the live queue.
    const row = core.store.outbox().at(-1)!;
    core.store.recordResults([{ id: row.id, seq: row.seq, status: 'rejected', code: 'appointment_checked_in', reason: 'checked in elsewhere' }]);
    expect(core.store.live.queue.tickets[id]).toBeUndefined();
    expect(await role.reprint(number)).toMatchObject({ ticket: { id, number }, refused: { code: 'appointment_checked_in' } });
    expect(await role.reprint('A099')).toBeNull();

    // Another role on the same kiosk.db (a restart) still has the record.
    const again = kiosk('10:05', [], undefined, file);
    expect((await again.role.reprint(number))?.ticket.id).toBe(id);
  });
});

describe('kiosk idle (the staged-update hook)', () => {
  it('is idle only on the home screen with no citizen held and nothing printing', async () => {
    let release: () => void = () => undefined;
    const printer = {
      health: { connected: true, level: 'ok', issues: [] },
      on: () => printer,
      print: () => new Promise((resolve) => (release = () => resolve({ ok: true }))),
    } as unknown as TicketPrinter;
    const { role } = kiosk('10:00', [], printer);
    const screen = (name: string) => role.handlers()['kiosk.screen']?.({ screen: name });
    expect(role.isIdle()).toBe(true);
    await screen('identify');
    expect(role.isIdle()).toBe(false);
    await screen('home');
    const citizen = role.vault.addTyped(idNumber(), DAY, []);
    expect(role.isIdle()).toBe(false);
    role.vault.forget(citizen.handle);
    expect(role.isIdle()).toBe(true);
    // The ticket is answered while its slip is still printing; the kiosk is busy until it ends.
    const issued = await role.issue({ serviceIds: ['s1'], kind: 'walk_in' });
    expect(issued).toMatchObject({ issued: { print: { printed: false, printing: true } } });
    expect(role.isIdle()).toBe(false);
    await new Promise((resolve) => setImmediate(resolve));
    expect(role.isIdle()).toBe(false);
    release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(role.isIdle()).toBe(true);
  });
  const idNumber = () => makeTestIdNumber({ birthDate: '1990-02-02' });
});

describe('the citizen never waits on the network or the paper', () => {
  const idNumber = makeTestIdNumber({ birthDate: '1971-07-07', sequence: 8 });
  // Neither ever answers: a stalled printer, a central API that accepts and never replies.
  const hung = () => new Promise<never>(() => undefined);

  it('answers the ticket while the printer and the central API hang, and says how the slip ended once it does', async () => {
    let finish: (result: { ok: true }) => void = () => undefined;
    const printer = {
      health: { connected: true, level: 'ok', issues: [] },
      on: () => printer,
      print: () => new Promise((resolve) => (finish = resolve)),
    } as unknown as TicketPrinter;
    const events: { event: string; data: unknown }[] = [];
    const { role } = kiosk('10:00', [], printer, ':memory:', {
      blacklist: hung,
      emit: (event, data) => void events.push({ event, data }),
    });
    const citizen = role.vault.addTyped(idNumber, DAY, []);
    const result = await role.issue({ serviceIds: ['s1'], kind: 'walk_in', citizenHandle: citizen.handle });
    expect(result.issued.ticket.number).toBe('A021');
    expect(result.issued.print).toMatchObject({ printed: false, printing: true });
    await new Promise((resolve) => setImmediate(resolve));
    expect(events.filter((e) => e.event === 'kiosk.printed')).toEqual([]);
    finish({ ok: true });
    await new Promise((resolve) => setImmediate(resolve));
    expect(events.filter((e) => e.event === 'kiosk.printed')).toEqual([
      { event: 'kiosk.printed', data: { ticketId: result.issued.ticket.id, print: { printed: true, preview: result.issued.print.preview } } },
    ]);
  });

  it('says a paper-out plainly after the number, and the ticket stands', async () => {
    const printer = {
      health: { connected: true, level: 'ok', issues: [] },
      on: () => printer,
      print: async () => ({ ok: false, error: { code: 'paper-out', message: 'paper out' } }),
    } as unknown as TicketPrinter;
    const events: { event: string; data: unknown }[] = [];
    const { role, core } = kiosk('10:00', [], printer, ':memory:', { emit: (event, data) => void events.push({ event, data }) });
    const result = await role.issue({ serviceIds: ['s1'], kind: 'walk_in' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(events.find((e) => e.event === 'kiosk.printed')?.data).toMatchObject({ ticketId: result.issued.ticket.id, print: { printed: false, problem: 'paper-out' } });
    expect(core.store.live.queue.tickets[result.issued.ticket.id]?.status).toBe('waiting');
    // The reprint waits for the paper: the citizen asked for the slip itself.
    expect((await role.reprint(result.issued.ticket.number))?.print).toMatchObject({ printed: false, problem: 'paper-out' });
  });

  it('bars a citizen the central API named at identification, without asking again at the tap', async () => {
    let asked = 0;
    const { role } = kiosk('10:00', [], undefined, ':memory:', {
      blacklist: async () => {
        asked += 1;
        return { blacklisted: true, until: '2026-12-31', reason: '扰乱大厅秩序' };
      },
    });
    const citizen = role.handlers()['kiosk.identify']?.({ idNumber }) as { handle: string };
    await new Promise((resolve) => setImmediate(resolve));
    expect(asked).toBe(1);
    const refused = role.issue({ serviceIds: ['s1'], kind: 'walk_in', citizenHandle: citizen.handle });
    await expect(refused).rejects.toMatchObject({ refusal: { reason: 'blacklisted', until: '2026-12-31' } });
  });
});

describe('spoken prompts', () => {
  it('returns the prompt as WAV and synthesises each text once', async () => {
    const said: string[] = [];
    const voice = new PromptVoice(async (text) => {
      said.push(text);
      return encodeWav({ format: { sampleRate: 8000, channels: 1, bitsPerSample: 16 }, data: Buffer.alloc(8000, 0x40) });
    });
    const clip = await voice.speak('请将身份证放在读卡区', 'zh');
    expect(clip.mimeType).toBe('audio/wav');
    expect(parseWav(Buffer.from(clip.dataBase64, 'base64')).format.sampleRate).toBe(8000);
    expect(clip.durationMs).toBeGreaterThan(0);
    await voice.speak('请将身份证放在读卡区', 'zh');
    expect(said).toEqual(['请将身份证放在读卡区']);
    // Never an option for the synthesiser.
    await voice.speak('-w /tmp/x hello', 'en');
    expect(said.at(-1)).toBe('w /tmp/x hello');
    await expect(voice.speak(' --', 'en')).rejects.toThrow('nothing to say');
  });
});

describe('the blacklist at the kiosk', () => {
  const idNumber = makeTestIdNumber({ birthDate: '1962-02-02', sequence: 5 });
  const bar = { reason: '30天内预约未到3次', until: '2026-12-20' };

  it('refuses a barred citizen check-in and ticket from the hall list held here, offline, and forgets a lifted bar', async () => {
    const list = { entries: [{ idHash: citizenIdHash(idNumber, KEY), ...bar }] as { idHash: string; reason: string; until: string }[] | undefined };
    const online = { up: true };
    const { role } = kiosk('09:45', [booked(idNumber)], undefined, ':memory:', {
      blacklistList: async () => list.entries,
      // The central API is away: no answer, as when fetch fails.
      blacklist: async () => (online.up ? { blacklisted: false } : undefined),
    });
    expect(await role.refreshBlacklist()).toBe(true);
    online.up = false;
    list.entries = undefined;
    // The API does not answer: the held list stays.
    expect(await role.refreshBlacklist()).toBe(false);
    const citizen = role.vault.addTyped(idNumber, DAY, []);
    await role.appointments({ citizenHandle: citizen.handle });
    const refused = role.checkIn({ citizenHandle: citizen.handle, appointmentId: 'ap-1' });
    await expect(refused).rejects.toHaveProperty('refusal', { reason: 'blacklisted', why: bar.reason, until: bar.until });
    const ticket = role.issue({ serviceIds: ['s1'], kind: 'walk_in', citizenHandle: citizen.handle });
    await expect(ticket).rejects.toMatchObject({ refusal: { reason: 'blacklisted', until: bar.until } });
    // Another citizen is not affected.
    const other = role.vault.addTyped(makeTestIdNumber({ birthDate: '1990-03-03', sequence: 6 }), DAY, []);
    expect(await role.issue({ serviceIds: ['s1'], kind: 'walk_in', citizenHandle: other.handle })).toHaveProperty('issued');
    // Back online, the API says the bar was lifted: the kiosk learns it at once.
    online.up = true;
    expect(await role.checkIn({ citizenHandle: citizen.handle, appointmentId: 'ap-1' })).toHaveProperty('issued');
  });

  it('lets a bar lapse after its last day', async () => {
    const { role, clock } = kiosk('09:45', [], undefined, ':memory:', { blacklistList: async () => [{ idHash: citizenIdHash(idNumber, KEY), reason: 'x', until: DAY }] });
    await role.refreshBlacklist();
    expect(role.blacklist.barred(citizenIdHash(idNumber, KEY), DAY)).toEqual({ reason: 'x', until: DAY });
    clock.now += 24 * 3600_000;
    expect(role.blacklist.barred(citizenIdHash(idNumber, KEY), '2026-11-24')).toBeUndefined();
  });
});
