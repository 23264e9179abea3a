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
import { PerformancePage } from './pages/performance/PerformancePage';
import { MyPerformancePage } from './pages/performance/MyPerformancePage';
import { SlipsPage } from './pages/slips/SlipsPage';
import { CataloguePage } from './pages/catalogue/CataloguePage';
import { useGet } from './useApi';
import { isManaging } from './roles';
import { usePermissions } from './pages/people/usePermissions';
import { AuditPage } from './pages/people/AuditPage';
import { DepartmentsPage } from './pages/people/DepartmentsPage';
import { RolesPage } from './pages/people/RolesPage';

const PAGES = ['live', 'stats', 'supervision', 'backoffice', 'catalogue', 'services', 'forms', 'rules', 'caseRules', 'layout', 'staff', 'calendar', 'booking', 'devices', 'notices', 'sms', 'smsBatch', 'blacklist', 'release', 'slips', 'performance', 'departments', 'roles', 'audit', 'myPerformance'] as const;
type Page = (typeof PAGES)[number];
/** An officer (后台审批) works cases only: the hall's settings and statistics are the managers'. */
const OFFICER_PAGES: readonly Page[] = ['backoffice'];
/** A clerk reads their own appraisal results and appeals (窗口绩效, issue 20); nothing else of the console. */
const CLERK_PAGES: readonly Page[] = ['myPerformance'];

/** Issue 20: the server's permission list decides once known (a configured role can take pages away). */
function pagesOf(roles: readonly string[], permissions: readonly string[] | undefined): readonly Page[] {
  if (permissions) return PAGES.filter((p) => permissions.includes(p));
  // A supervisor who also serves at a counter keeps 我的绩效 beside the managers' pages.
  if (isManaging(roles)) return PAGES.filter((p) => p !== 'myPerformance' || roles.includes('clerk'));
  const pages = [...(roles.includes('officer') ? OFFICER_PAGES : []), ...(roles.includes('clerk') ? CLERK_PAGES : [])];
  return pages.length > 0 ? pages : OFFICER_PAGES;
}

function pageFromHash(roles: readonly string[], permissions: readonly string[] | undefined): Page | undefined {
  const name = window.location.hash.replace(/^#\/?/, '');
  const allowed = pagesOf(roles, permissions);
  return allowed.includes(name as Page) ? (name as Page) : allowed[0];
}

interface HallSummary {
  id: string;
  name: { zh: string; en?: string };
}

export function App() {
  const [session, setSession] = useState<StaffSession | null>(loadSession);
  const roles = session?.staff.roles ?? [];
  const permissions = usePermissions(session);
  const [page, setPage] = useState<Page | undefined>(() => pageFromHash(roles, permissions));
  const roleKey = roles.join(',');
  const permissionKey = permissions?.join(',');
  useEffect(() => {
    const now = roleKey.split(',');
    const granted = permissionKey === undefined ? undefined : permissionKey.split(',').filter(Boolean);
    setPage(pageFromHash(now, granted));
    const onHash = () => setPage(pageFromHash(now, granted));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, [roleKey, permissionKey]);
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
      pages={pagesOf(roles, permissions)}
      onLogout={() => {
        void request(session, 'POST', '/auth/logout').catch(() => undefined);
        saveSession(null);
        setSession(null);
      }}
    />
  );
}

function Shell(props: { session: StaffSession; page: Page | undefined; pages: readonly Page[]; onLogout: () => void }) {
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
          {props.pages.map((p) => (
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
        {!current || !props.page ? (
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
    case 'performance':
      return <PerformancePage {...rest} />;
    case 'myPerformance':
      return <MyPerformancePage {...rest} />;
    case 'departments':
      return <DepartmentsPage {...rest} />;
    case 'roles':
      return <RolesPage {...rest} />;
    case 'audit':
      return <AuditPage {...rest} />;
    case 'slips':
      return <SlipsPage {...rest} />;
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
