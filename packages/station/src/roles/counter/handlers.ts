import type { RoleApiHandlers, StationApiHandlers } from '@hall/shared';
import type { StationCore } from '../../core';
import { LocalRejection } from '../../store/store';
import type { CounterRole } from './role';

/** Runs a handler as a promise, so a refusal thrown synchronously also reaches the caller as a rejected promise. */
async function run<T>(work: () => T | Promise<T>): Promise<T> {
  return work();
}

/**
 * The counter role's handlers, laid over the station's common ones: every counter action
 * needs a signed-in clerk (the window's session), and finishing a ticket also asks the
 * citizen-facing screen for a rating.
 */
export function counterRoleHandlers(role: CounterRole, core: StationCore, base: StationApiHandlers): RoleApiHandlers<'counter'> {
  const signedIn =
    <P, R>(handler: ((p: P) => R | Promise<R>) | undefined) =>
    (p: P): Promise<R> =>
      run(() => {
        role.requireSession();
        if (!handler) throw new LocalRejection('not_implemented', 'not available on this station');
        return handler(p);
      });
  return {
    ...base,
    'counter.open': signedIn(base['counter.open']),
    'counter.pause': signedIn(base['counter.pause']),
    'counter.resume': signedIn(base['counter.resume']),
    'counter.callNext': signedIn(() => core.callNext()),
    'counter.callSpecific': signedIn(base['counter.callSpecific']),
    'counter.recall': signedIn(base['counter.recall']),
    'counter.markMissed': signedIn(base['counter.markMissed']),
    'counter.transfer': signedIn(base['counter.transfer']),
    'counter.startServing': (p) => run(() => role.startServing(p.ticketId)),
    'counter.finish': (p) => run(() => role.finish(p.ticketId)),
    'counter.addMatter': (p) => run(() => role.addMatter(p.ticketId, p.serviceId)),
    'clerk.login': (p) => run(() => role.login(p.login, p.password, p.counterId)),
    'clerk.logout': () => run(() => (role.logout(), { ok: true as const })),
    'clerk.session': () => role.currentSession(),
    'case.listForTicket': (p) => run(() => role.casesForTicket(p.ticketId)),
    'case.open': (p) => run(() => role.openCase(p.ticketId, p.serviceId)),
    'case.updateForm': (p) => run(() => role.updateForm(p.caseId, p.values)),
    'case.checkMaterial': (p) => run(() => role.checkMaterial(p.caseId, p.materialId, p.received)),
    'case.checkIdentity': (p) =>
      run(() =>
        role.checkIdentity(p.caseId, p.method, {
          ...(p.idNumber === undefined ? {} : { idNumber: p.idNumber }),
          ...(p.name === undefined ? {} : { name: p.name }),
        }),
      ),
    'case.accept': (p) => run(() => role.accept(p.caseId, p.pendingMaterialIds)),
    'case.refuse': (p) => run(() => role.refuse(p.caseId, p.reason)),
    'case.setDelivery': (p) =>
      run(() =>
        role.setDelivery(p.caseId, p.delivery, {
          ...(p.phone === undefined ? {} : { phone: p.phone }),
          ...(p.size === undefined ? {} : { size: p.size }),
        }),
      ),
    'capture.addPage': (p) => run(() => role.addPage(p.caseId, p.materialId, p.mime, Buffer.from(p.dataBase64, 'base64'), p.source)),
    'capture.scan': (p) => run(() => role.scan(p.caseId, p.materialId, p.pages)),
    'capture.reorder': (p) => run(() => role.reorder(p.caseId, p.materialId, p.pageIds)),
    'capture.removePage': (p) => run(() => role.removePage(p.caseId, p.pageId)),
    'capture.pageImage': (p) => run(() => role.pageImage(p.pageId)),
    'capture.pdf': (p) => run(() => role.materialPdf(p.caseId, p.materialId)),
    'print.reprint': (p) => run(() => role.reprint(p.printId)),
    'history.today': () => run(() => role.history()),
    'rating.pending': () => role.ratingPending(),
    'rating.submit': (p) => run(() => (role.submitRating(p.ticketId, p.rating), { ok: true as const })),
    'announcements.unread': () => run(() => role.announcements.unread()),
    'announcements.read': (p) => run(() => (role.announcements.read(p.announcementId), { ok: true as const })),
    'case.form': (p) => run(() => role.caseForm(p)),
    'case.get': (p) => run(() => (role.requireSession(), role.caseView(p.caseId))),
    'caseFile.find': (p) => run(() => role.caseSteps.find(p)),
    'caseFile.findByCard': () => run(() => role.caseSteps.findByCard()),
    'caseFile.get': (p) => run(() => role.caseSteps.get(p.caseId)),
    'caseFile.recordSupplement': (p) => run(() => role.caseSteps.recordSupplement(p.caseId, p.materialIds, p.note)),
    'caseFile.complete': (p) => run(() => role.caseSteps.complete(p.caseId, p.note)),
    'caseFile.handOver': (p) => run(() => role.caseSteps.handOver(p)),
    'caseFile.requestWithdrawal': (p) => run(() => role.caseSteps.requestWithdrawal(p.caseId, p.cause, p.reason)),
    'caseFile.requestConsult': (p) => run(() => role.caseSteps.requestConsult(p.caseId, p.question)),
    'caseFile.changeDelivery': (p) => run(() => role.caseSteps.changeDelivery(p.caseId, p.delivery, p.reason)),
    'handoff.candidates': () => run(() => role.handoffs.candidates()),
    'handoff.start': (p) => run(() => role.handoffs.start(p.cases, p.toHallId)),
    'handoff.scan': (p) => run(() => role.handoffs.scan(p.code, { ...(p.step ? { step: p.step } : {}), marks: p.marks })),
    'handoff.preview': (p) => run(() => role.handoffs.preview(p.code, p.step ? { step: p.step } : {})),
  };
}
