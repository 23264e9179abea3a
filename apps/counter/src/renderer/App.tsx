import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageToggle, localized, SyncStatusCorner, useLinkState, useRoleStation, useStationEvent } from '@hall/ui';
import { CallPanel } from './CallPanel';
import { CaseFileScreen } from './CaseFile';
import { ConflictBanner } from './Conflicts';
import { StaffAnnouncements } from './StaffAnnouncements';
import { Dialogs } from './Dialogs';
import { Header } from './Header';
import { HistoryScreen } from './History';
import { HandoffScreen } from './Handoffs';
import { originKey } from './KindPill';
import { QueueLists } from './QueueLists';
import { ResidenceScanBanner } from './ResidenceScan';
import { ServingView } from './ServingView';
import { TicketMatterList } from './Matters';
import { SlipPreview } from './SlipPreview';
import { heldTicket, useDesk } from './state';
import { rejectionCode, StationCallError, type Ticket } from '@hall/shared';

export function CounterApp() {
  const station = useRoleStation<'counter'>();
  const link = useLinkState();
  const { session, load, applyChanged, setSession, addConflict, setResidenceScan, openCaseFile, setError, showHandoffScan } = useDesk();
  const { t } = useTranslation();
  const [loaded, setLoaded] = useState(false);
  useEffect(() => {
    if (link !== 'open') return;
    void load(station).then(() => setLoaded(true), () => undefined);
  }, [station, link, load]);
  useStationEvent('queue.changed', (e) => applyChanged(e.tickets, e.counterStates));
  useStationEvent('clerk.session', (s) => setSession(s));
  useStationEvent('mutation.rejected', (r) => addConflict(r));
  useStationEvent('counter.residenceCode', (scan) => setResidenceScan(scan));
  // A receipt scanned at the window opens its case (办件查询), whatever screen was showing.
  // A hand-off slip scanned here is signed in (the delivery counter); the hand-off screen says so or why not.
  useStationEvent('counter.handoffScanned', (scan) => showHandoffScan(scan));
  useStationEvent('counter.caseScanned', (scan) => {
    if (scan.outcome === 'found' && scan.caseId) openCaseFile(scan.caseId);
    else setError(t(scan.outcome === 'token_mismatch' ? 'caseFile.scanMismatch' : 'caseFile.scanUnknown'));
  });
  return (
    <div className="counter-app" data-testid="counter-app">
      <ConflictBanner />
      {!loaded ? <div className="counter-loading">…</div> : session ? <Desk /> : <LoginScreen />}
      <div className="counter-corner">
        <SyncStatusCorner />
      </div>
    </div>
  );
}

function LoginScreen() {
  const { t, i18n } = useTranslation();
  const station = useRoleStation<'counter'>();
  const { catalogue, setSession } = useDesk();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [counterId, setCounterId] = useState<string>('');
  /** The counter this station serves: the central API lets it act for that one only. */
  const [ownCounter, setOwnCounter] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    void station.call('station.info', {}).then((info) => {
      setOwnCounter(info.counterId);
      setCounterId((c) => info.counterId || c || catalogue?.counters[0]?.id || '');
    });
  }, [station, catalogue]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const session = await station.call('clerk.login', { login, password, ...(counterId ? { counterId } : {}) });
      setPassword('');
      setSession(session);
    } catch (err) {
      const number = catalogue?.counters.find((c) => c.id === counterId)?.number ?? counterId;
      setError(rejectionCode(err) === 'counter_not_assigned' ? t('login.notAssigned', { number }) : t('login.failed', { message: err instanceof StationCallError ? err.message : String(err) }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="login" data-testid="login-screen">
      <form className="login-box" onSubmit={(e) => void submit(e)}>
        <h1>{catalogue ? localized(catalogue.hall.name, i18n.language) : t('title')}</h1>
        <h2>{t('login.heading')}</h2>
        <label>
          {t('login.login')}
          <input data-testid="login-name" autoFocus autoComplete="username" value={login} onChange={(e) => setLogin(e.target.value)} />
        </label>
        <label>
          {t('login.password')}
          <input data-testid="login-password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        <label>
          {t('login.counter')}
          <select data-testid="login-counter" value={counterId} onChange={(e) => setCounterId(e.target.value)}>
            {catalogue?.counters.filter((c) => ownCounter === undefined || c.id === ownCounter).map((c) => (
              <option key={c.id} value={c.id}>
                {c.number} · {localized(c.name, i18n.language)}
              </option>
            ))}
          </select>
        </label>
        {error && (
          <p className="error" role="alert" data-testid="login-error">
            {error}
          </p>
        )}
        <button className="btn primary big" type="submit" data-testid="login-submit" disabled={busy || !login || !password}>
          {t('login.submit')}
        </button>
        <button className="btn ghost" type="button" disabled title={t('login.certificate')}>
          {t('login.certificate')}
        </button>
        <p className="muted">{t('login.offlineNote')}</p>
        <LanguageToggle />
      </form>
    </main>
  );
}

function Desk() {
  const { view, tickets, session } = useDesk();
  const held = heldTicket(tickets, session?.counterId);
  return (
    <>
      <Header />
      {view === 'history' ? (
        <HistoryScreen />
      ) : view === 'cases' ? (
        <CaseFileScreen />
      ) : view === 'handoffs' ? (
        <HandoffScreen />
      ) : (
        <main className="desk">
          <section className="desk-left">
            <CallPanel />
            <QueueLists />
          </section>
          <section className="desk-right">
            <ResidenceScanBanner />
            {held?.status === 'serving' ? <ServingView ticket={held} /> : held ? <CalledPreview ticket={held} /> : <IdleServing />}
          </section>
        </main>
      )}
      <Dialogs />
      <SlipPreview />
      <StaffAnnouncements />
    </>
  );
}

/** A called citizen on the way to the window: who and what, and the one key that starts serving. */
function CalledPreview({ ticket }: { ticket: Ticket }) {
  const { t, i18n } = useTranslation();
  const { catalogue } = useDesk();
  const services = ticket.serviceIds.map((id) => catalogue?.services.find((s) => s.id === id)).filter((s) => s !== undefined);
  return (
    <div className="panel idle-serving called-preview" data-testid="called-preview">
      <h2>{t('called.heading', { number: ticket.number })}</h2>
      <p className="called-facts">
        {t('serving.citizen')}: <b>{ticket.citizen?.maskedName ?? '—'}</b> · {t(originKey(ticket))} ·{' '}
        {services.map((s) => localized(s.name, i18n.language)).join('、')}
      </p>
      <TicketMatterList ticket={ticket} />
      <p className="called-next">{t('called.next')}</p>
      <p className="muted">{t('called.scan')}</p>
    </div>
  );
}

function IdleServing() {
  const { t } = useTranslation();
  return (
    <div className="panel idle-serving">
      <h2>{t('serving.heading')}</h2>
      <p className="muted">{t('shortcuts')}</p>
    </div>
  );
}
