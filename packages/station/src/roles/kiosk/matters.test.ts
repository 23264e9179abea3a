import { afterEach, describe, expect, it } from 'vitest';
import { LocalRejection, makeTestIdNumber, parseFollowReference } from '@hall/shared';
import { citizenIdHash } from './citizens';
import { followLinkSigner } from './followLink';
import { removeTestKiosks, testKiosk } from './testKiosk';

afterEach(removeTestKiosks);

function kiosk() {
  const { core, role } = testKiosk({ numbers: true });
  const handler = <K extends 'kiosk.identify' | 'kiosk.forget'>(name: K) => {
    const found = role.handlers()[name];
    if (!found) throw new Error(`the kiosk has no ${name}`);
    return found;
  };
  const identify = async (idNumber: string) => (await handler('kiosk.identify')({ idNumber })).handle;
  const forget = async (handle: string) => handler('kiosk.forget')({ handle });
  return { core, role, identify, forget };
}

const parentId = makeTestIdNumber({ birthDate: '1980-02-03', sequence: 11 });
const childId = makeTestIdNumber({ birthDate: '2010-05-06', sequence: 12 });

describe('一号联办 at the kiosk: one ticket for a family', () => {
  it('issues one ticket whose matters name each member, prints the sub numbers and syncs the members', async () => {
    const { core, role, identify } = kiosk();
    const parent = await identify(parentId);
    const child = await identify(childId);
    const issued = await role.issue({ serviceIds: ['s1', 's2'], kind: 'walk_in', citizenHandle: parent, matterCitizenHandles: { s2: child } });
    expect(issued).toHaveProperty('issued');
    const { ticket, print } = issued.issued;
    expect(ticket.number).toBe('A001');
    expect(ticket.citizen?.idHash).toBe(citizenIdHash(parentId, 'test-key'));
    expect(ticket.matterCitizens?.s2?.idHash).toBe(citizenIdHash(childId, 'test-key'));
    // The slip lists each matter under its sub number; never an ID number.
    expect(print.preview).toContain('A001-2');
    expect(print.preview).toContain('一号联办');
    expect(print.preview).not.toContain(childId);
    // The central API gets the members with the ticket (the same engine decides there).
    const pending = core.store.pendingMutations(10).find((m) => m.type === 'issueTicket');
    expect(JSON.stringify(pending?.payload)).toContain(citizenIdHash(childId, 'test-key'));
    // The slip's QR (扫码查看排队进度) names the ticket by id and a tag the central API can check, nothing personal.
    expect(issued.issued.followUrl).toBe(`https://hall.example/follow/${followLinkSigner('test-key')(ticket.id)}`);
    expect(parseFollowReference(issued.issued.followUrl.split('/').pop() ?? '')?.ticketId).toBe(ticket.id);
  });

  it('refuses a matter its queue does not serve, saying why, and issues nothing', async () => {
    const { core, role } = kiosk();
    const refused = role.issue({ serviceIds: ['s1', 's3'], kind: 'walk_in' });
    await expect(refused).rejects.toBeInstanceOf(LocalRejection);
    await expect(refused).rejects.toMatchObject({ error: { reason: 'service_not_in_queue' } });
    expect(Object.keys(core.store.live.queue.tickets)).toHaveLength(0);
  });

  it('refuses a family member whose identification was forgotten', async () => {
    const { core, role, identify, forget } = kiosk();
    const child = await identify(childId);
    await forget(child);
    await expect(role.issue({ serviceIds: ['s1', 's2'], kind: 'walk_in', matterCitizenHandles: { s2: child } })).rejects.toMatchObject({ error: { reason: 'citizen_expired' } });
    expect(Object.keys(core.store.live.queue.tickets)).toHaveLength(0);
  });
});
