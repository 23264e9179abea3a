import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { matterSharesTicket, searchServices, type Service } from '@hall/shared';
import { BigButton, localized, OnScreenKeyboard } from '@hall/ui';
import { useHall } from '../state/catalogue';
import { useFlow } from '../state/flow';
import { useSession } from '../state/session';
import { Frame } from './Frame';

type Browse = { by: 'all' } | { by: 'theme'; value?: string } | { by: 'department'; value?: string };

export function Services() {
  const { t, i18n } = useTranslation();
  const catalogue = useHall((s) => s.catalogue);
  const journey = useSession((s) => s.journey);
  const busy = useSession((s) => s.busy);
  const multi = useSession((s) => s.multi);
  const matters = useSession((s) => s.matters);
  const { afterService } = useFlow();
  const [query, setQuery] = useState('');
  const [keyboard, setKeyboard] = useState(false);
  const [browse, setBrowse] = useState<Browse>({ by: 'all' });

  const services = useMemo(() => {
    const all = catalogue?.services ?? [];
    if (journey !== 'pickup') return all;
    // Pickup tickets are for matters whose result is collected later.
    const pickupQueues = new Set((catalogue?.queues ?? []).filter((q) => q.kinds.includes('pickup')).map((q) => q.id));
    const pickupServices = new Set((catalogue?.queues ?? []).filter((q) => pickupQueues.has(q.id)).flatMap((q) => q.serviceIds));
    return all.filter((s) => pickupServices.has(s.id));
  }, [catalogue, journey]);

  // Departments are named by the queue that serves them: the catalogue carries no department names.
  const departmentName = (service: Service) => {
    const queue = catalogue?.queues.find((q) => q.id === service.queueId);
    return queue ? localized(queue.name, i18n.language) : service.departmentId;
  };
  const groups = useMemo(() => {
    if (browse.by === 'theme') return [...new Set(services.map((s) => s.theme))];
    if (browse.by === 'department') return [...new Set(services.map(departmentName))];
    return [];
  }, [browse.by, services, i18n.language]);

  const shown = useMemo(() => {
    let list = query.trim() ? searchServices(services, query).map((h) => h.service) : services;
    if (browse.by === 'theme' && browse.value) list = list.filter((s) => s.theme === browse.value);
    if (browse.by === 'department' && browse.value) list = list.filter((s) => departmentName(s) === browse.value);
    return list;
  }, [services, query, browse, i18n.language]);

  const pickingGroup = browse.by !== 'all' && browse.value === undefined && !query.trim();
  const first = matters[0]?.serviceId;
  /** 一号联办: why a service cannot join the ticket being put together, if it cannot. */
  const unavailable = (service: Service): string | undefined => {
    if (!multi || first === undefined || !catalogue) return undefined;
    if (matters.some((m) => m.serviceId === service.id)) return t('matters.already');
    return matterSharesTicket(catalogue, first, service.id) ? undefined : t('matters.separate');
  };
  return (
    <Frame title={journey === 'pickup' ? t('pickup.service') : t('services.title')} testId="services">
      <div className="search-row">
        <button type="button" className="search-box" data-testid="service-search" onClick={() => setKeyboard((k) => !k)}>
          {query || <span className="muted">{t('services.search')}</span>}
        </button>
      </div>
      {keyboard && (
        <OnScreenKeyboard
          layout="latin"
          onInput={(c) => setQuery((q) => (q + c).toLowerCase())}
          onBackspace={() => setQuery((q) => q.slice(0, -1))}
          onClear={() => setQuery('')}
          onDone={() => setKeyboard(false)}
        />
      )}
      {journey === 'ticket' && !multi && (
        <BigButton variant="secondary" onClick={() => useSession.getState().set({ multi: true })} data-testid="multi-start">
          {t('matters.start')}
        </BigButton>
      )}
      {multi && (
        <p className="notice ok" data-testid="multi-hint">
          {first === undefined ? t('matters.pickFirst') : t('matters.pickMore', { count: matters.length })}
        </p>
      )}
      <div className="tabs" role="tablist">
        {(['all', 'theme', 'department'] as const).map((by) => (
          <BigButton
            key={by}
            variant={browse.by === by ? 'primary' : 'ghost'}
            onClick={() => setBrowse({ by } as Browse)}
            data-testid={`browse-${by}`}
          >
            {by === 'all' ? t('services.all') : by === 'theme' ? t('services.byTheme') : t('services.byDepartment')}
          </BigButton>
        ))}
      </div>
      {pickingGroup ? (
        <div className="choice-grid">
          {groups.map((g) => (
            <BigButton key={g} onClick={() => setBrowse({ ...browse, value: g } as Browse)} data-testid={`group-${g}`}>
              {g}
            </BigButton>
          ))}
        </div>
      ) : shown.length === 0 ? (
        <p className="muted" data-testid="no-services">
          {t('services.noResults')}
        </p>
      ) : (
        <div className="service-list">
          {/* 一号联办: the matters that can still join the ticket come first. */}
          {[...shown].sort((a, b) => Number(unavailable(a) !== undefined) - Number(unavailable(b) !== undefined)).map((service) => {
            const why = unavailable(service);
            return (
              <BigButton key={service.id} disabled={busy || why !== undefined} onClick={() => afterService(service.id)} data-testid={`service-${service.id}`}>
                <span className="service-name">{localized(service.name, i18n.language)}</span>
                <span className="service-meta">
                  {departmentName(service)}
                  {service.dailyCap !== undefined && ` · ${t('services.cap', { cap: service.dailyCap })}`}
                  {why !== undefined && <span className="service-why" data-testid={`service-why-${service.id}`}> · {why}</span>}
                </span>
              </BigButton>
            );
          })}
        </div>
      )}
    </Frame>
  );
}
