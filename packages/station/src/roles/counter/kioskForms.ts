import { LocalRejection, type CaseForm, type CaseFormQuery, type CaseFormResult } from '@hall/shared';
import { SyncHttpError, type SyncClient } from '../../sync/client';
import { maskedValues } from './caseWork';
import { situationName } from './rules/materials';
import type { CounterContext } from './context';
import type { CounterRoleOptions } from './options';
import type { CounterSignIn } from './signIn';

/** Fetches kiosk forms from the central API; expected failures are results, not exceptions. */
export type CaseFormFetcher = (
  query: CaseFormQuery,
) => Promise<{ status: 'ok'; forms: CaseForm[] } | { status: 'offline' | 'not_found'; message: string }>;

/** The station's sync client as the counter's form source: network trouble means offline. */
export function syncCaseForms(client: Pick<SyncClient, 'caseForms'>): CaseFormFetcher {
  return async (query) => {
    try {
      return { status: 'ok', forms: (await client.caseForms(query)).forms };
    } catch (error) {
      if (error instanceof SyncHttpError && error.status === 404) return { status: 'not_found', message: error.message };
      if (error instanceof SyncHttpError && error.transient) return { status: 'offline', message: 'the central system is not reachable: the kiosk form is not available offline' };
      throw error;
    }
  };
}

/**
 * 回显: the forms citizens filled at the kiosk, shown at the counter (masked) and taken as the
 * working values of a case the clerk has not typed into yet.
 */
export class CounterKioskForms {
  constructor(
    private readonly context: CounterContext,
    private readonly signIn: CounterSignIn,
    private readonly options: Pick<CounterRoleOptions, 'caseForms' | 'online'>,
  ) {}

  /**
   * 回显: the kiosk's forms, fetched online. A case still open here without the clerk's own
   * values takes the kiosk's values as its working values, so edits start from what the
   * citizen typed and the acceptance carries the final form. The renderer sees them masked.
   */
  async caseForm(query: CaseFormQuery): Promise<CaseFormResult> {
    this.signIn.require();
    const fetched = await this.kioskForms(query);
    if (fetched.status !== 'ok') throw new LocalRejection(fetched.status, fetched.message);
    const catalogue = this.context.catalogue();
    return {
      forms: fetched.forms.map((form) => {
        const kase = this.context.core.store.live.cases[form.caseId];
        const work = kase ? this.context.repository.work(kase.id) : undefined;
        if (kase && work && !work.status && Object.keys(work.values).length === 0 && Object.keys(form.values).length > 0) {
          this.context.repository.saveWork(kase, { ...work, values: form.values }, this.context.at());
        }
        const service = catalogue.services.find((s) => s.id === form.serviceId);
        const situation = service ? situationName(service, { answers: form.answers, ...(form.situationId ? { situationId: form.situationId } : {}) }) : undefined;
        return {
          ...form,
          serviceName: service?.name.zh ?? form.serviceId,
          ...(situation ? { situationName: situation } : {}),
          values: maskedValues(catalogue, form.formId ?? service?.formId, form.values),
        };
      }),
    };
  }

  /**
   * The kiosk's forms: the central API's, else those the hall mesh brought (the kiosk's
   * submitForm with its values, sealed on the wire) when the form has not reached the API yet
   * or the API is away. With the API known unreachable the hall's answer at once: a hung API
   * would otherwise hold the clerk for the whole fetch timeout, for the same values.
   */
  private async kioskForms(query: CaseFormQuery): Promise<Awaited<ReturnType<CaseFormFetcher>>> {
    if (this.options.online?.() === false) {
      const known = this.context.core.store.peerCaseForms(query);
      if (known.length > 0) return { status: 'ok', forms: known };
    }
    const fromApi = this.options.caseForms
      ? await this.options.caseForms(query)
      : { status: 'offline' as const, message: 'this counter has no connection to the central system: the kiosk form is not available offline' };
    const fromHall = fromApi.status === 'ok' ? [] : this.context.core.store.peerCaseForms(query);
    return fromHall.length > 0 ? { status: 'ok', forms: fromHall } : fromApi;
  }
}
