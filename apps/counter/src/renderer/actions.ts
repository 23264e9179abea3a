import type { EventData } from '@hall/shared';
import type { RoleConnection } from '@hall/ui';
import { heldTicket, useDesk } from './state';

export type CallAction = EventData<'callpad.action'>['action'] | 'specific' | 'transfer' | 'history';

/** Shortcut keys: one per call action, the same a hardware call pad (keyboard wedge) sends. */
export const SHORTCUTS: Readonly<Record<string, CallAction>> = {
  F1: 'next',
  F2: 'recall',
  F3: 'missed',
  F4: 'specific',
  F5: 'start',
  F6: 'finish',
  F7: 'transfer',
  F8: 'pause',
  F9: 'history',
};

/**
 * Runs one call action for the window: the buttons, the shortcuts and the call pad all
 * come here, so they behave the same. Reads the store fresh, since a key press may
 * arrive between renders.
 */
export async function runAction(station: RoleConnection<'counter'>, action: CallAction): Promise<void> {
  const desk = useDesk.getState();
  const counterId = desk.session?.counterId;
  if (!counterId) return;
  const held = heldTicket(desk.tickets, counterId);
  const state = desk.counterStates[counterId];
  const countdownMs = (desk.catalogue?.callingRules.callCountdownSeconds ?? 60) * 1000;
  // The hall's rule: after a call the citizen gets the countdown to arrive before a recall or 过号.
  const inCountdown = desk.lastCallAt !== undefined && Date.now() - desk.lastCallAt < countdownMs;
  switch (action) {
    case 'next': {
      if (held) return desk.setError(`${held.number}: ${held.status === 'serving' ? '请先办结' : '请先开始办理、重呼或标记过号'}`);
      if (state === undefined || state.status === 'closed') await desk.run(() => station.call('counter.open', {}));
      const ticket = await desk.run(() => station.call('counter.callNext', {}));
      if (ticket) {
        desk.applyChanged([ticket], []);
        desk.markCalled();
      } else if (ticket === null) desk.setError('没有等候的号 / nobody is waiting');
      return;
    }
    case 'recall': {
      if (held?.status !== 'called' || inCountdown) return;
      const ticket = await desk.run(() => station.call('counter.recall', { ticketId: held.id }));
      if (ticket) {
        desk.applyChanged([ticket], []);
        if (ticket.status === 'called') desk.markCalled();
      }
      return;
    }
    case 'missed': {
      if (held?.status !== 'called' || inCountdown) return;
      const ticket = await desk.run(() => station.call('counter.markMissed', { ticketId: held.id }));
      if (ticket) desk.applyChanged([ticket], []);
      return;
    }
    case 'start': {
      if (held?.status !== 'called') return;
      const ticket = await desk.run(() => station.call('counter.startServing', { ticketId: held.id }));
      if (ticket) desk.applyChanged([ticket], []);
      return;
    }
    case 'finish': {
      if (held?.status !== 'serving') return;
      const ticket = await desk.run(() => station.call('counter.finish', { ticketId: held.id }));
      if (ticket) desk.applyChanged([ticket], []);
      return;
    }
    case 'pause':
      if (state?.status === 'paused') {
        await desk.run(() => station.call('counter.resume', {}));
        return;
      }
      return desk.setDialog('pause');
    case 'resume':
      if (state?.status === 'paused') await desk.run(() => station.call('counter.resume', {}));
      return;
    case 'specific':
      return desk.setDialog('specific');
    case 'transfer':
      if (held) desk.setDialog('transfer');
      return;
    case 'history':
      return desk.setView(desk.view === 'history' ? 'desk' : 'history');
  }
}
