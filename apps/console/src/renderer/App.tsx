import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { loadSession, request, saveSession, type StaffSession } from './api';
import { LoginPage } from './pages/LoginPage';
import { LivePage } from './pages/LivePage';
import { StatsPage } from './pages/StatsPage';
import { SupervisionPage } from './pages/SupervisionPage';
import { ServicesPage } from './pages/ServicesPage';
import { DevicesPage } from './pages/DevicesPage';
import { NoticesPage } from './pages/NoticesPage';
import { RulesPage } from './pages/RulesPage';
import { StaffPage } from './pages/StaffPage';
import { LayoutPage } from './pages/LayoutPage';
import { FormsPage } from './pages/FormsPage';
import { SmsPage } from './pages/SmsPage';
import { SmsBatchPage } from './pages/SmsBatchPage';
import { CalendarPage } from './pages/CalendarPage';
import { BookingPage } from './pages/BookingPage';
import { BlacklistPage } from './pages/BlacklistPage';
import { ReleasePage } from './pages/ReleasePage';
import { BackOfficePage } from './pages/backoffice/BackOfficePage';
import { CaseRulesPage } from './pages/CaseRulesPage';
import { CataloguePage } from './pages/catalogue/CataloguePage';
import { useGet } from './useApi';
import { isManaging } from './roles';

const PAGES = ['live', 'stats', 'supervision', 'backoffice', 'services', 'forms', 'rules', 'caseRules', 'layout', 'staff', 'calendar', 'booking', 'devices', 'notices', 'sms', 'smsBatch', 'blacklist', 'release', 'catalogue'] as const;
type Page = (typeof PAGES)[number];
/** An officer (后台审批) works cases only: the hall's settings and statistics are the managers'. */
const OFFICER_PAGES: readonly Page[] = ['backoffice'];

function pagesOf(roles: readonly string[]): readonly Page[] {
  return isManaging(roles) ? PAGES : OFFICER_PAGES;
}

function pageFromHash(roles: readonly string[]): Page {
  const name = window.location.hash.replace(/^#\/?/, '');
  const allowed = pagesOf(roles);
  return allowed.includes(name as Page) ? (name as Page) : allowed[0]!;
}

interface HallSummary {
  id: string;
  name: { zh: string; en?: string };
}

export function App() {
  const [session, setSession] = useState<StaffSession | null>(loadSession);
  const roles = session?.staff.roles ?? [];
  const [page, setPage] = useState<Page>(() => pageFromHash(roles));
  const roleKey = roles.join(',');
  useEffect(() => {
    const now = roleKey.split(',');
    setPage(pageFromHash(now));
    const onHash = () => setPage(pageFromHash(now));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, [roleKey]);
  if (!session) {
    return (
      <LoginPage
        onLogin={(s) => {
          saveSession(s);
          setSession(s);
        }}
      />
    );
  }
  return (
    <Shell
      session={session}
      page={page}
      onLogout={() => {
        void request(session, 'POST', '/auth/logout').catch(() => undefined);
        saveSession(null);
        setSession(null);
      }}
    />
  );
}

function Shell(props: { session: StaffSession; page: Page; onLogout: () => void }) {
  const { t, i18n } = useTranslation();
  const { session } = props;
  const cityWide = session.staff.roles.includes('city_admin');
  const managing = isManaging(session.staff.roles);
  const halls = useGet<{ halls: HallSummary[] }>(session, '/halls');
  const visible = (halls.data?.halls ?? []).filter((h) => cityWide || h.id === session.staff.hallId);
  const [hallId, setHallId] = useState<string | null>(session.staff.hallId);
  const current = hallId ?? visible[0]?.id ?? null;
  const version = useGet<{ version: number; catalogueVersion: string }>(session, current && managing ? `/admin/halls/${current}/config-version` : null, 30_000);
  const en = i18n.language.startsWith('en');
  return (
    <div className="shell">
      <header className="topbar">
        <h1>{t('title')}</h1>
        <nav>
          {pagesOf(session.staff.roles).map((p) => (
            <a key={p} href={`#/${p}`} className={p === props.page ? 'active' : ''} data-testid={`nav-${p}`}>
              {t(`nav.${p}`)}
            </a>
          ))}
        </nav>
        <div className="topbar-right">
          <label>
            {t('header.hall')}{' '}
            <select value={current ?? ''} onChange={(e) => setHallId(e.target.value)} disabled={!cityWide} data-testid="hall-select">
              {visible.map((h) => (
                <option key={h.id} value={h.id}>
                  {en ? (h.name.en ?? h.name.zh) : h.name.zh}
                </option>
              ))}
            </select>
          </label>
          {version.data && <span className="badge" data-testid="config-version">{t('header.configVersion', { version: version.data.version })}</span>}
          <span className="who">
            {session.staff.displayName} · {session.staff.roles.map((r) => t(`header.role.${r}`)).join('/')}
          </span>
          <button type="button" onClick={() => void i18n.changeLanguage(en ? 'zh-CN' : 'en')} data-testid="language">
            {en ? '中文' : 'English'}
          </button>
          <button type="button" onClick={props.onLogout}>
            {t('header.logout')}
          </button>
        </div>
      </header>
      <main>
        {!current ? (
          <p>{t('common.loading')}</p>
        ) : (
          <PageBody page={props.page} session={session} hallId={current} cityWide={cityWide} onConfigChanged={version.reload} />
        )}
      </main>
    </div>
  );
}

function PageBody(props: { page: Page; session: StaffSession; hallId: string; cityWide: boolean; onConfigChanged: () => void }) {
  const { page, ...rest } = props;
  switch (page) {
    case 'live':
      return <LivePage {...rest} />;
    case 'stats':
      return <StatsPage {...rest} />;
    case 'supervision':
      return <SupervisionPage {...rest} />;
    case 'services':
      return <ServicesPage {...rest} />;
    case 'rules':
      return <RulesPage {...rest} />;
    case 'devices':
      return <DevicesPage {...rest} />;
    case 'notices':
      return <NoticesPage {...rest} />;
    case 'staff':
      return <StaffPage {...rest} />;
    case 'layout':
      return <LayoutPage {...rest} />;
    case 'forms':
      return <FormsPage {...rest} />;
    case 'sms':
      return <SmsPage {...rest} />;
    case 'smsBatch':
      return <SmsBatchPage {...rest} />;
    case 'calendar':
      return <CalendarPage {...rest} />;
    case 'booking':
      return <BookingPage {...rest} />;
    case 'blacklist':
      return <BlacklistPage {...rest} />;
    case 'release':
      return <ReleasePage {...rest} />;
    case 'backoffice':
      return <BackOfficePage {...rest} />;
    case 'caseRules':
      return <CaseRulesPage {...rest} />;
    case 'catalogue':
      return <CataloguePage {...rest} />;
  }
}

export interface PageProps {
  session: StaffSession;
  hallId: string;
  cityWide: boolean;
  onConfigChanged: () => void;
}
