import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { localized, useRoleStation, useStationEvent } from '@hall/ui';
import { runAction, SHORTCUTS, type CallAction } from './actions';
import { KindPill } from './KindPill';
import { heldTicket, myCounter, useDesk } from './state';

function useCountdown(lastCallAt: number | undefined, seconds: number): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (lastCallAt === undefined) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [lastCallAt]);
  if (lastCallAt === undefined) return 0;
  return Math.min(seconds, Math.max(0, Math.ceil((lastCallAt + seconds * 1000 - now) / 1000)));
}

export function CallPanel() {
  const { t, i18n } = useTranslation();
  const station = useRoleStation<'counter'>();
  const { catalogue, session, tickets, counterStates, lastCallAt, busy, error, dialog } = useDesk();
  const counter = myCounter(catalogue, session);
  const held = heldTicket(tickets, counter?.id);
  const state = counter ? counterStates[counter.id] : undefined;
  const seconds = catalogue?.callingRules.callCountdownSeconds ?? 60;
  const remaining = useCountdown(held?.status === 'called' ? lastCallAt : undefined, seconds);
  const act = (action: CallAction) => void runAction(station, action);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const action = SHORTCUTS[e.key];
      if (!action || e.repeat) return;
      e.preventDefault();
      if (useDesk.getState().dialog) return;
      act(action);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [station]);
  useStationEvent('callpad.action', (e) => {
    if (!useDesk.getState().dialog) act(e.action);
  });

  const service = held ? catalogue?.services.find((s) => s.id === held.serviceIds[0]) : undefined;
  const paused = state?.status === 'paused';
  return (
    <div className="panel call-panel" data-testid="call-panel">
      <div className="current" data-testid="current-ticket" data-status={held?.status ?? 'none'}>
        {held ? (
          <>
            <div className="current-number">{held.number}</div>
            <div className="current-meta">
              <span className={`pill pill-${held.status}`}>{t(`ticket.${held.status}`)}</span>
              <KindPill kind={held.kind} />
              <span>{service ? localized(service.name, i18n.language) : ''}</span>
              {held.serviceIds.length > 1 && <span className="pill">+{held.serviceIds.length - 1}</span>}
              <span className="muted">{t('callCount', { count: held.callCount })}</span>
            </div>
            {held.status === 'called' && (
              <div className={`countdown ${remaining === 0 ? 'done' : ''}`} data-testid="countdown" data-remaining={remaining}>
                {remaining > 0 ? t('countdown', { seconds: remaining }) : t('countdownDone')}
              </div>
            )}
          </>
        ) : (
          <div className="current-none">{t('ticket.none')}</div>
        )}
      </div>
      {error && !dialog && (
        <p className="error" role="alert" data-testid="desk-error">
          {error}
        </p>
      )}
      <div className="call-actions">
        <button className="btn primary big" data-testid="act-next" disabled={busy || paused || Boolean(held)} onClick={() => act('next')}>
          {t('actions.callNext')} <kbd>F1</kbd>
        </button>
        <button className="btn big" data-testid="act-recall" disabled={busy || held?.status !== 'called' || remaining > 0} onClick={() => act('recall')}>
          {t('actions.recall')} <kbd>F2</kbd>
        </button>
        <button className="btn big warn" data-testid="act-missed" disabled={busy || held?.status !== 'called' || remaining > 0} onClick={() => act('missed')}>
          {t('actions.missed')} <kbd>F3</kbd>
        </button>
        <button className="btn big" data-testid="act-specific" disabled={busy || paused || Boolean(held)} onClick={() => act('specific')}>
          {t('actions.callSpecific')} <kbd>F4</kbd>
        </button>
        <button className="btn primary big" data-testid="act-start" disabled={busy || held?.status !== 'called'} onClick={() => act('start')}>
          {t('actions.start')} <kbd>F5</kbd>
        </button>
        <button className="btn primary big" data-testid="act-finish" disabled={busy || held?.status !== 'serving'} onClick={() => act('finish')}>
          {t('actions.finish')} <kbd>F6</kbd>
        </button>
        <button className="btn big" data-testid="act-transfer" disabled={busy || !held} onClick={() => act('transfer')}>
          {t('actions.transfer')} <kbd>F7</kbd>
        </button>
        <button className="btn big" data-testid="act-matter" disabled={busy || !held} onClick={() => useDesk.getState().setDialog('matter')}>
          {t('actions.addMatter')}
        </button>
        <button className={`btn big ${paused ? 'primary' : 'warn'}`} data-testid="act-pause" disabled={busy || Boolean(held)} onClick={() => act('pause')}>
          {paused ? t('actions.resume') : t('actions.pause')} <kbd>F8</kbd>
        </button>
      </div>
    </div>
  );
}
