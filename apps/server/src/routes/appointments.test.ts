import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { makeTestIdNumber, type Appointment } from '@hall/shared';
import { citizenSubject } from '../residence-code/keys';
import { BACKENDS } from '../testing/databases';
import { bearer, startTestServer, type TestServer } from '../testing/server';

const pgUrl = inject('postgresUrl');

describe.each(BACKENDS)('booking an appointment by ID number on %s', (dialect) => {
  let server: TestServer;
  let manager = '';

  beforeAll(async () => {
    server = await startTestServer(dialect, pgUrl);
    manager = await server.login('t1-manager');
  });
  afterAll(async () => server.dispose());

  const book = (citizen: Record<string, unknown>) =>
    server.app.inject({
      method: 'POST',
      url: '/api/v1/appointments',
      headers: bearer(manager),
      payload: { hallId: 't1-hall', serviceId: 't1-svc-1', date: '2026-06-01', slot: { from: '09:00', to: '09:30' }, citizen },
    });

  it('names the citizen by the residence-code subject (the city key over the normalised number), never by the number', async () => {
    const idNumber = makeTestIdNumber({ birthDate: '1975-03-04', sequence: 12 });
    const subject = Buffer.from(await citizenSubject(server.db.database.db, server.app.hall.dataKeys, idNumber)).toString('hex');
    const booked = await book({ idNumber: ` ${idNumber.toLowerCase()} `, name: '张三' });
    expect(booked.statusCode).toBe(201);
    const { appointment } = booked.json() as { appointment: Appointment };
    expect(appointment.citizen).toEqual({ maskedName: '张*', idHash: subject });
    const stored = await server.app.inject({ method: 'GET', url: `/api/v1/appointments/${appointment.id}`, headers: bearer(manager) });
    expect(stored.json().appointment.citizen.idHash).toBe(subject);
    expect(stored.body).not.toContain(idNumber.slice(0, 17));

    // Without a name the masked number stands in.
    const unnamed = (await book({ idNumber })).json() as { appointment: Appointment };
    expect(unnamed.appointment.citizen.idHash).toBe(subject);
    expect(unnamed.appointment.citizen.maskedName).not.toContain(idNumber.slice(6, 14));
  });

  it('refuses a number with a wrong check digit and a body mixing a number with a hash', async () => {
    const idNumber = makeTestIdNumber({ birthDate: '1975-03-04', sequence: 14 });
    const wrong = idNumber.slice(0, 17) + (idNumber.endsWith('0') ? '1' : '0');
    const refused = await book({ idNumber: wrong });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).not.toContain(wrong);
    expect((await book({ idNumber, idHash: 'a'.repeat(64) })).statusCode).toBe(400);
  });
});
