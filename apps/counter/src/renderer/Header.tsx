import { useTranslation } from 'react-i18next';
import { LanguageToggle, localized, useRoleStation } from '@hall/ui';
import { heldTicket, myCounter, useDesk, waitingFor } from './state';

export function Header() {
  const { t, i18n } = useTranslation();
  const station = useRoleStation<'counter'>();
  const { catalogue, session, tickets, counterStates, view, setView, setSession, openCaseFile, wipe } = useDesk();
  const counter = myCounter(catalogue, session);
  const held = heldTicket(tickets, counter?.id);
  const state = counter ? (counterStates[counter.id] ?? { status: 'closed' as const }) : undefined;
  const department = session?.departmentName;
  const logout = async () => {
    await station.call('clerk.logout', {});
    const { catalogue: kept, tickets: keptTickets, counterStates: keptStates } = useDesk.getState();
    // Nothing of the last clerk's work stays on screen; the hall's data (catalogue, queue) does.
    wipe();
    useDesk.setState({ catalogue: kept, tickets: keptTickets, counterStates: keptStates });
    setSession(null);
  };
  return (
    <header className="counter-header" data-testid="counter-header">
      <div className="hdr-item">
        <span className="hdr-label">{t('header.department')}</span>
        <span data-testid="hdr-department">{department ? localized(department, i18n.language) : '—'}</span>
      </div>
      <div className="hdr-item">
        <span className="hdr-label">{t('header.counter')}</span>
        <span data-testid="hdr-counter">
          {counter ? `${counter.number} · ${localized(counter.name, i18n.language)}` : '—'}
        </span>
      </div>
      <div className="hdr-item">
        <span className="hdr-label">{t('header.clerk')}</span>
        <span data-testid="hdr-clerk">
          {session?.displayName} ({session?.staffNumber}){session?.offline ? ` · ${t('header.offlineSession')}` : ''}
        </span>
      </div>
      <div className="hdr-item big">
        <span className="hdr-label">{t('header.current')}</span>
        <span data-testid="hdr-current">{held?.number ?? '—'}</span>
      </div>
      <div className="hdr-item big">
        <span className="hdr-label">{t('header.waiting')}</span>
        <span data-testid="hdr-waiting">{waitingFor(tickets, counter).length}</span>
      </div>
      <div className="hdr-item">
        <span className={`state-badge state-${state?.status ?? 'closed'}`} data-testid="hdr-state">
          {state?.status === 'paused' ? t('status.paused', { reason: state.reason }) : t(`status.${state?.status ?? 'closed'}`)}
        </span>
      </div>
      <div className="hdr-actions">
        <button className="btn" data-testid="nav-cases" onClick={() => (view === 'cases' ? setView('desk') : openCaseFile(undefined))}>
          {view === 'cases' ? t('header.desk') : t('caseFile.nav')}
        </button>
        <button className="btn" data-testid="nav-handoffs" onClick={() => setView(view === 'handoffs' ? 'desk' : 'handoffs')}>
          {view === 'handoffs' ? t('header.desk') : t('handoff.nav')}
        </button>
        <button className="btn" data-testid="nav-history" onClick={() => setView(view === 'history' ? 'desk' : 'history')}>
          {view === 'history' ? t('header.desk') : t('header.history')}
        </button>
        <LanguageToggle />
        <button className="btn ghost" data-testid="logout" onClick={() => void logout()}>
          {t('header.logout')}
        </button>
      </div>
    </header>
  );
}

