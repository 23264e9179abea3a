import { describe, expect, it } from 'vitest';
import { kioskRefusalOf, LocalRejection, StationCallError } from '@hall/shared';
import { createIpcBridge, type StationIpc } from './ipc';

/** The preload's side reduced to what the bridge sees: envelopes and events as plain data. */
function fakeIpc(answer: (message: { id: number; method: string; params: unknown }) => unknown) {
  const listeners = new Map<string, Set<(data: unknown) => void>>();
  const sent: unknown[] = [];
  const ipc: StationIpc = {
    request: async (message) => {
      sent.push(message);
      return answer(message);
    },
    on: (event, listener) => {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener);
      return () => set.delete(listener);
    },
  };
  return { ipc, sent, emit: (event: string, data: unknown) => listeners.get(event)?.forEach((l) => l(data)) };
}

const info = { deviceId: 'k1', hallId: 'h1', role: 'kiosk', apiVersion: 1 };

describe('IPC bridge', () => {
  it('validates params before sending and results on arrival', async () => {
    const { ipc, sent } = fakeIpc((m) => ({ type: 'response', id: m.id, ok: true, result: m.method === 'station.info' ? info : { nonsense: true } }));
    const bridge = createIpcBridge(ipc);
    expect(await bridge.call('station.info', {})).toEqual(info);
    await expect(bridge.call('kiosk.issue', { serviceIds: [] })).rejects.toMatchObject({ error: { code: 'bad_request' } });
    expect(sent).toHaveLength(1);
    await expect(bridge.call('sync.status', {})).rejects.toMatchObject({ error: { code: 'internal' } });
  });

  it('turns refusals and a dead channel into StationCallErrors', async () => {
    const refused = createIpcBridge(
      fakeIpc((m) => ({ type: 'response', id: m.id, ok: false, error: { code: 'rejected', reason: 'id_check_digit', message: 'no' } })).ipc,
    );
    const error = await refused.call('kiosk.identify', { idNumber: '110101199001010011' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StationCallError);
    expect((error as StationCallError).error).toMatchObject({ code: 'rejected', reason: 'id_check_digit' });
    // The refusal comes back as the type the station threw, with the kiosk's particulars.
    expect(error).toBeInstanceOf(LocalRejection);
    expect((error as LocalRejection).code).toBe('id_check_digit');
    const closed = { reason: 'closed', opensAt: '2026-12-07T01:00:00.000Z' } as const;
    const atKiosk = createIpcBridge(
      fakeIpc((m) => ({ type: 'response', id: m.id, ok: false, error: { code: 'rejected', reason: 'closed', message: 'closed', refusal: closed } })).ipc,
    );
    expect(kioskRefusalOf(await atKiosk.call('kiosk.issue', { serviceIds: ['s1'] }).catch((e: unknown) => e))).toEqual(closed);
    const dead = createIpcBridge({ request: () => Promise.reject(new Error('gone')), on: () => () => undefined });
    await expect(dead.call('station.info', {})).rejects.toMatchObject({ error: { code: 'unavailable' } });
  });

  it('passes only events that match their schema', () => {
    const { ipc, emit } = fakeIpc(() => undefined);
    const got: unknown[] = [];
    createIpcBridge(ipc).on('kiosk.devices', (d) => got.push(d));
    const devices = { idCardReader: { state: 'ok' }, codeScanner: { state: 'absent' }, ticketPrinter: { state: 'error', problem: 'paper-out' } };
    emit('kiosk.devices', devices);
    emit('kiosk.devices', { idCardReader: 'broken' });
    expect(got).toEqual([devices]);
  });
});
