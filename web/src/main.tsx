import 'govuk-frontend/dist/govuk/govuk-frontend.min.css';
import './styles.css';
import { render } from 'preact';
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
import { RequestsQueue, UploadReturn } from './pages/Requests.js';
import { ApprovalQueue, Decide } from './pages/Approvals.js';
import { AuditCases, AuditTrail } from './pages/Audit.js';
import { Statistics } from './pages/Statistics.js';

document.body.classList.add('js-enabled', 'govuk-frontend-supported');

function Header({ session, path, onSignOut }: { session: Session | undefined; path: string; onSignOut: () => void }) {
  return (
    <header class="govuk-header" data-module="govuk-header">
      <div class="govuk-header__container govuk-width-container">
        <div class="govuk-header__logo">
          <a href="/" class="govuk-header__link govuk-header__link--homepage">
            <span class="govuk-header__logotype-text rtk-logotype">Right to know</span>
          </a>
        </div>
        <div class="govuk-header__content">
          {session && (
            <nav aria-label="Menu" class="govuk-header__navigation">
              <ul class="govuk-header__navigation-list">
                {navFor(session).map(([href, text]) => (
                  <li key={href} class={`govuk-header__navigation-item${path.startsWith(href) ? ' govuk-header__navigation-item--active' : ''}`}>
                    <a class="govuk-header__link" href={href}>
                      {text}
                    </a>
                  </li>
                ))}
                <li class="govuk-header__navigation-item">
                  <a
                    class="govuk-header__link"
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
    </header>
  );
}

function Page({ config, path, session, onSession }: { config: ConsoleConfig; path: string; session: Session | undefined; onSession: (s: Session | undefined) => void }) {
  if (path === '/auth/callback') return <SignInCallback config={config} onSession={onSession} />;
  if (path === '/sign-in' || !session) return <SignIn config={config} onSession={onSession} />;
  let m: Record<string, string> | undefined;
  if (path === '/') return <Redirect to={homeFor(session)} />;
  if (path === '/my-cases') return <MyCases session={session} />;
  if (path === '/open-case') return <OpenCase />;
  if ((m = match('/case/:caseId/decide/:approvalId', path))) return <Decide session={session} caseId={m.caseId!} approvalId={m.approvalId!} />;
  if ((m = match('/case/:caseId/return/:requestId', path))) return <UploadReturn caseId={m.caseId!} requestId={m.requestId!} />;
  if ((m = match('/case/:caseId/audit', path))) return <AuditTrail caseId={m.caseId!} />;
  if ((m = match('/case/:caseId', path))) return <CasePage session={session} caseId={m.caseId!} />;
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
        <main class="govuk-main-wrapper" id="main-content" role="main" tabIndex={-1}>
          <Page config={config} path={path} session={session} onSession={setSession} />
        </main>
      </div>
      <footer class="govuk-footer">
        <div class="govuk-width-container">
          <p class="govuk-body-s">Right to know: stalking disclosure. Every view and decision is recorded in the audit trail.</p>
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
