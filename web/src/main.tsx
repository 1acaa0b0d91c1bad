import 'govuk-frontend/dist/govuk/govuk-frontend.min.css';
import './styles.css';
import { render, type ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { configureApi } from './api.js';
import { loadConfig, type ConsoleConfig } from './config.js';
import { clearSession, getSession, type Session } from './auth/session.js';
import { homeFor, navFor } from './nav.js';
import { logoutUrl } from './auth/pkce.js';
import { interceptLinks, match, navigate, usePath } from './router.js';
import { SignIn, SignInCallback } from './pages/SignIn.js';
import { MyCases } from './pages/MyCases.js';
import { OpenCase } from './pages/OpenCase.js';
import { CasePage } from './pages/CasePage.js';
import { IpLog } from './pages/IpLog.js';
import { RequestsQueue, UploadReturn } from './pages/Requests.js';
import { ApprovalQueue, Decide } from './pages/Approvals.js';
import { AuditCases, AuditTrail } from './pages/Audit.js';

document.body.classList.add('js-enabled', 'govuk-frontend-supported');

function Header({ session, path, onSignOut }: { session: Session | undefined; path: string; onSignOut: () => void }) {
  // GOV.UK Frontend's service navigation without the GOV.UK header: this is a police service, not one on GOV.UK.
  return (
    <header class="rtk-header">
      <section aria-label="Service information" class="govuk-service-navigation" data-module="govuk-service-navigation">
        <div class="govuk-width-container rtk-wide">
          <div class="govuk-service-navigation__container">
            <span class="govuk-service-navigation__service-name">
              <a href="/" class="govuk-service-navigation__link">
                Right to know
              </a>
            </span>
            {session && (
              <nav aria-label="Menu" class="govuk-service-navigation__wrapper">
                <ul class="govuk-service-navigation__list" id="navigation">
                  {navFor(session).map(([href, text]) => {
                    const active = path.startsWith(href);
                    return (
                      <li
                        key={href}
                        class={`govuk-service-navigation__item${active ? ' govuk-service-navigation__item--active' : ''}`}
                      >
                        <a
                          class="govuk-service-navigation__link"
                          href={href}
                          aria-current={active ? 'page' : undefined}
                        >
                          {active ? <strong class="govuk-service-navigation__active-fallback">{text}</strong> : text}
                        </a>
                      </li>
                    );
                  })}
                  <li class="govuk-service-navigation__item">
                    <a
                      class="govuk-service-navigation__link"
                      href="/sign-in"
                      onClick={(e) => {
                        e.preventDefault();
                        onSignOut();
                      }}
                    >
                      Sign out
                    </a>
                  </li>
                </ul>
              </nav>
            )}
          </div>
        </div>
      </section>
    </header>
  );
}

function Page({
  config,
  path,
  session,
  onSession,
}: {
  config: ConsoleConfig;
  path: string;
  session: Session | undefined;
  onSession: (s: Session | undefined) => void;
}) {
  if (path === '/auth/callback') return <SignInCallback config={config} onSession={onSession} />;
  if (path === '/sign-in' || !session) return <SignIn config={config} onSession={onSession} />;
  if (path === '/') return <Redirect to={homeFor(session)} />;
  if (path === '/my-cases') return <MyCases session={session} />;
  if (path === '/open-case') return <OpenCase />;
  const decide = match('/case/:caseId/decide/:approvalId', path);
  if (decide) return <Decide session={session} caseId={decide.caseId!} approvalId={decide.approvalId!} />;
  const upload = match('/case/:caseId/return/:requestId', path);
  if (upload) return <UploadReturn caseId={upload.caseId!} requestId={upload.requestId!} />;
  const ipLog = match('/case/:caseId/ip-log/:requestId', path);
  if (ipLog) return <IpLog caseId={ipLog.caseId!} requestId={ipLog.requestId!} />;
  const trail = match('/case/:caseId/audit', path);
  if (trail) return <AuditTrail caseId={trail.caseId!} />;
  const kase = match('/case/:caseId', path);
  if (kase) return <CasePage session={session} caseId={kase.caseId!} />;
  if (path === '/requests-queue') return <RequestsQueue />;
  if (path === '/approval-queue') return <ApprovalQueue session={session} />;
  if (path === '/audit') return <AuditCases />;
  if (path === '/statistics') return <Statistics />;
  return (
    <>
      <h1 class="govuk-heading-l">Page not found</h1>
      <p class="govuk-body">
        <a class="govuk-link" href="/">
          Go to your start page
        </a>
      </p>
    </>
  );
}

/** Charts (chart.js) load only when someone opens the statistics: most users never do. */
function Statistics() {
  const [Page, setPage] = useState<ComponentType | null>(null);
  useEffect(() => {
    void import('./pages/Statistics.js').then((m) => setPage(() => m.Statistics));
  }, []);
  return Page ? <Page /> : <p class="govuk-body">Loading…</p>;
}

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, true), [to]);
  return null;
}

function App({ config }: { config: ConsoleConfig }) {
  const path = usePath();
  const [session, setSession] = useState(getSession());
  useEffect(() => {
    document.querySelector('main')?.focus({ preventScroll: true });
  }, [path]);
  const signOut = () => {
    clearSession();
    setSession(undefined);
    if (config.mode === 'cognito') location.assign(logoutUrl(config));
    else navigate('/sign-in');
  };
  return (
    <>
      <Header session={session} path={path} onSignOut={signOut} />
      <div class="govuk-width-container rtk-wide">
        {session && (
          <p class="govuk-body-s rtk-whoami" data-testid="whoami">
            Signed in as <strong>{session.name}</strong> ({session.roles.join(', ')}
            {session.rank ? `, ${session.rank.replace(/_/g, ' ')}` : ''})
          </p>
        )}
        <main class="govuk-main-wrapper" id="main-content" tabIndex={-1}>
          <Page config={config} path={path} session={session} onSession={setSession} />
        </main>
      </div>
      <footer class="govuk-footer">
        <div class="govuk-width-container">
          <p class="govuk-body-s">
            Right to know: stalking disclosure. Every view and decision is recorded in the audit trail.
          </p>
        </div>
      </footer>
    </>
  );
}

async function start() {
  const root = document.getElementById('app')!;
  try {
    const config = await loadConfig();
    configureApi(config, () => navigate('/sign-in'));
    interceptLinks();
    render(<App config={config} />, root);
  } catch (e) {
    root.innerHTML = '';
    const p = document.createElement('p');
    p.className = 'govuk-body';
    p.textContent = `The console could not start: ${(e as Error).message}`;
    root.append(p);
  }
}

void start();
