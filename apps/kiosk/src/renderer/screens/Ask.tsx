import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ask, buildAskIndex } from '@hall/shared';
import { BigButton, localized, OnScreenKeyboard } from '@hall/ui';
import { useHall } from '../state/catalogue';
import { useFlow } from '../state/flow';
import { useSession } from '../state/session';
import { Frame } from './Frame';

const MAX_LENGTH = 40;

/**
 * "Ask in your own words": the citizen types what they came for on the pinyin keyboard
 * (the kiosk has no physical one) and taps one of the answers, each a service with its
 * situation, which opens that service with the situation's questions already answered.
 * The input element stays for screen readers and halls that attach a keyboard.
 * No voice input: Chromium's speech recognition sends audio to a remote service, and the
 * kiosk must work offline.
 */
export function Ask() {
  const { t, i18n } = useTranslation();
  const catalogue = useHall((s) => s.catalogue);
  const busy = useSession((s) => s.busy);
  const { afterAsk } = useFlow();
  const [query, setQuery] = useState('');

  const index = useMemo(() => buildAskIndex(catalogue?.services ?? []), [catalogue]);
  const hits = useMemo(() => (query.trim() ? ask(index, query, 6) : []), [index, query]);
  const services = useMemo(() => new Map((catalogue?.services ?? []).map((s) => [s.id, s])), [catalogue]);

  const edit = (next: string) => setQuery(next.slice(0, MAX_LENGTH));
  return (
    <Frame title={t('ask.title')} testId="ask">
      <input
        className="search-box ask-input"
        data-testid="ask-input"
        aria-label={t('ask.inputLabel')}
        value={query}
        placeholder={t('ask.placeholder')}
        maxLength={MAX_LENGTH}
        // The on-screen keyboard below is the kiosk's keyboard; no system one pops up.
        inputMode="none"
        onChange={(e) => edit(e.target.value)}
      />
      <OnScreenKeyboard layout="text" onInput={(text) => edit(query + text)} onBackspace={() => edit(query.slice(0, -1))} onClear={() => edit('')} />
      {query.trim() && hits.length === 0 && (
        <p className="muted" data-testid="ask-none">
          {t('ask.none')}
        </p>
      )}
      {hits.length > 0 && (
        <>
          <h2 className="ask-results-title">{t('ask.results')}</h2>
          <div className="service-list" data-testid="ask-results">
            {hits.map((hit) => {
              const service = services.get(hit.serviceId);
              if (!service) return null;
              const situation = service.decisionTree?.situations.find((s) => s.id === hit.situationId);
              return (
                <BigButton
                  key={hit.situationId ?? hit.serviceId}
                  disabled={busy}
                  onClick={() => afterAsk(hit.serviceId, hit.situationId)}
                  data-testid="ask-result"
                  data-service={hit.serviceId}
                  data-situation={hit.situationId}
                >
                  <span className="service-name">{localized(service.name, i18n.language)}</span>
                  {situation && <span className="service-meta">{localized(situation.name, i18n.language)}</span>}
                </BigButton>
              );
            })}
          </div>
        </>
      )}
      <BigButton variant="ghost" onClick={() => useSession.getState().go('services')} data-testid="ask-browse">
        {t('ask.browse')}
      </BigButton>
    </Frame>
  );
}
