import { useCallback } from 'react';
import { answersForSituation, kioskRefusalOf, StationCallError } from '@hall/shared';
import { useRoleStation } from '@hall/ui';
import { useHall } from './catalogue';
import { useSession, type Journey } from './session';

const KIND: Record<Journey, 'walk_in' | 'consultation' | 'pickup'> = {
  ticket: 'walk_in',
  guided: 'walk_in',
  consultation: 'consultation',
  pickup: 'pickup',
  reprint: 'walk_in',
  appointment: 'walk_in',
  release: 'walk_in',
  progress: 'walk_in',
};

function errorText(error: unknown): string {
  if (error instanceof StationCallError) return error.error.code === 'unavailable' ? 'errors.unavailable' : 'errors.generic';
  return 'errors.generic';
}

/** A refusal the citizen is told in plain words goes to the refusal screen; false for any other failure. */
function showRefusal(error: unknown): boolean {
  const refusal = kioskRefusalOf(error);
  if (!refusal) return false;
  const s = useSession.getState();
  s.set({ busy: false, refusal });
  s.go('refusal');
  return true;
}

/** The kiosk's journeys as steps: which screen follows which, and the station calls between them. */
export function useFlow() {
  const station = useRoleStation<'kiosk'>();

  const issue = useCallback(async () => {
    const s = useSession.getState();
    const several = s.multi && s.matters.length > 0;
    if ((!s.serviceId && !several) || s.busy) return undefined;
    const serviceIds = several ? s.matters.map((m) => m.serviceId) : [s.serviceId ?? ''];
    const members = several ? s.matters.flatMap((m) => (m.member ? [[m.serviceId, m.member.handle] as const] : [])) : [];
    s.set({ busy: true, error: undefined });
    try {
      const result = await station.call('kiosk.issue', {
        serviceIds,
        kind: KIND[s.journey ?? 'ticket'],
        ...(s.citizen ? { citizenHandle: s.citizen.handle } : {}),
        ...(members.length > 0 ? { matterCitizenHandles: Object.fromEntries(members) } : {}),
      });
      s.set({ busy: false, issued: result.issued });
      return result.issued;
    } catch (error) {
      if (!showRefusal(error)) s.set({ busy: false, error: errorText(error) });
      return undefined;
    }
  }, [station]);

  const issueAndShow = useCallback(async () => {
    if (await issue()) useSession.getState().go('ticket');
  }, [issue]);

  const afterIdentify = useCallback(() => {
    const s = useSession.getState();
    if (s.journey === 'appointment') {
      s.go('appointment');
      return;
    }
    if (s.journey === 'guided') {
      if (s.wantsForm) s.go('form');
      else void issueAndShow();
      return;
    }
    s.go('services');
  }, [issueAndShow]);

  const afterService = useCallback(
    (serviceId: string) => {
      const s = useSession.getState();
      if (s.multi) {
        s.addMatter(serviceId);
        s.go('matters');
        return;
      }
      s.chooseService(serviceId);
      if (s.journey === 'guided') {
        const service = useHall.getState().catalogue?.services.find((x) => x.id === serviceId);
        s.go(service?.decisionTree ? 'questions' : 'materials');
        return;
      }
      void issueAndShow();
    },
    [issueAndShow],
  );

  /** An answer of the ask box: straight into its service with the situation's answers given. */
  const afterAsk = useCallback((serviceId: string, situationId: string | undefined) => {
    const s = useSession.getState();
    const service = useHall.getState().catalogue?.services.find((x) => x.id === serviceId);
    if (!service) return;
    s.set({ journey: 'guided' });
    s.chooseService(serviceId);
    // Questions that do not decide the situation (who applies, extras) are still asked.
    const answers = situationId ? answersForSituation(service, situationId) : undefined;
    if (answers) s.setAnswers(answers);
    s.go(service.decisionTree ? 'questions' : 'materials');
  }, []);

  /** From the materials list: a ticket or the form, identifying first when needed. */
  const afterMaterials = useCallback(
    (next: 'ticket' | 'form') => {
      const s = useSession.getState();
      s.set({ wantsForm: next === 'form' });
      if (!s.citizen) s.go('identify');
      else if (next === 'form') s.go('form');
      else void issueAndShow();
    },
    [issueAndShow],
  );

  const submit = useCallback(
    async (formId: string, formVersion: number, situationId: string | undefined) => {
      const issued = useSession.getState().issued ?? (await issue());
      if (!issued) return;
      const s = useSession.getState();
      if (!s.serviceId) return;
      s.set({ busy: true });
      try {
        const submitted = await station.call('kiosk.submit', {
          serviceId: s.serviceId,
          ticketId: issued.ticket.id,
          ...(situationId ? { situationId } : {}),
          answers: s.answers,
          formId,
          formVersion,
          values: s.values,
          autofilled: s.prefill.map((p) => p.fieldId),
          ...(s.citizen ? { citizenHandle: s.citizen.handle } : {}),
        });
        s.set({ busy: false, submitted });
        useSession.getState().go('ticket');
      } catch (error) {
        s.set({ busy: false, error: errorText(error) });
      }
    },
    [issue, station],
  );

  /** 预约签到 of one of the citizen's appointments: the ticket screen, or the refusal in plain words. */
  const checkIn = useCallback(
    async (appointmentId: string) => {
      const s = useSession.getState();
      if (!s.citizen || s.busy) return;
      s.set({ busy: true, error: undefined });
      try {
        const result = await station.call('kiosk.checkIn', { citizenHandle: s.citizen.handle, appointmentId });
        s.set({ busy: false, issued: result.issued, checkedIn: { late: result.late } });
        useSession.getState().go('ticket');
      } catch (error) {
        if (!showRefusal(error)) s.set({ busy: false, error: errorText(error) });
      }
    },
    [station],
  );

  /** Instead of an appointment: an ordinary ticket for the same service. */
  const ordinaryTicket = useCallback(
    (serviceId: string) => {
      const s = useSession.getState();
      s.set({ journey: 'ticket' });
      s.chooseService(serviceId);
      void issueAndShow();
    },
    [issueAndShow],
  );

  /** Ends the session: the station forgets the citizen, the screen forgets everything. */
  const finish = useCallback(() => {
    const s = useSession.getState();
    // Family members identified for their matters are forgotten with the citizen.
    const handles = [s.citizen?.handle, ...s.matters.map((m) => m.member?.handle)].filter((h) => h !== undefined);
    for (const handle of handles) void station.call('kiosk.forget', { handle }).catch(() => undefined);
    // A citizen done with their ticket may leave the card lying there: the next citizen must not be
    // identified by it. (首页 in mid-journey keeps it: the same citizen often starts over.)
    if (s.issued) void station.call('kiosk.screen', { screen: 'home', sessionEnded: true }).catch(() => undefined);
    useSession.getState().wipe();
  }, [station]);

  return { issue, issueAndShow, afterIdentify, afterService, afterAsk, afterMaterials, submit, checkIn, ordinaryTicket, finish };
}
