import { useCallback, useEffect, useState } from 'preact/hooks';
import { api, setUnauthorizedHandler } from './api.ts';
import { Layout } from './components/Layout.tsx';
import { ErrorBanner, Loading, useDocumentTitle } from './components/ui.tsx';
import { ActivationPage } from './pages/ActivationPage.tsx';
import { ActivationsPage } from './pages/ActivationsPage.tsx';
import { AuditPage } from './pages/AuditPage.tsx';
import { CalendarPage } from './pages/CalendarPage.tsx';
import { ActivationApprovalsPage } from './pages/ActivationApprovalsPage.tsx';
import { ApprovalsInboxPage } from './pages/ApprovalsInboxPage.tsx';
import { AssetsPage } from './pages/AssetsPage.tsx';
import { GatesPage } from './pages/GatesPage.tsx';
import { CrisisPage } from './pages/CrisisPage.tsx';
import { MeasurementPage } from './pages/MeasurementPage.tsx';
import { SchedulePage } from './pages/SchedulePage.tsx';
import { LoginPage } from './pages/LoginPage.tsx';
import { currentPath, navigate, parseRoute, useRoute } from './router.ts';
import type { User } from './types.ts';

type Session = { state: 'checking' } | { state: 'error'; error: unknown } | { state: 'anonymous' } | { state: 'user'; user: User };

export function App() {
  const route = useRoute();
  const [session, setSession] = useState<Session>({ state: 'checking' });
  const [probe, setProbe] = useState(0);

  // Restore the session from the cookie (and the CSRF token with it) on load.
  useEffect(() => {
    let live = true;
    api.me().then(
      (user) => live && setSession(user ? { state: 'user', user } : { state: 'anonymous' }),
      (error: unknown) => live && setSession({ state: 'error', error }),
    );
    return () => {
      live = false;
    };
  }, [probe]);

  // Any 401 from the API ends the session in the UI and goes to the log-in page.
  useEffect(() => {
    setUnauthorizedHandler(() => {
      setSession({ state: 'anonymous' });
    });
  }, []);

  // Anonymous users only see the log-in page; logged-in users never see it.
  useEffect(() => {
    if (session.state === 'anonymous' && route.name !== 'login') {
      const path = currentPath();
      navigate({ name: 'login', next: path === '/' || path.startsWith('/login') ? null : path }, true);
    } else if (session.state === 'user' && route.name === 'login') {
      navigate(route.next ? parseRoute('#' + route.next) : { name: 'activations' }, true);
    }
  }, [session.state, route]);

  const onLoggedIn = useCallback((user: User) => setSession({ state: 'user', user }), []);
  const onLogout = useCallback(async () => {
    try {
      await api.logout();
    } catch {
      // Even if the server call fails (e.g. session already gone), leave the UI logged out.
    }
    navigate({ name: 'login', next: null });
    setSession({ state: 'anonymous' });
  }, []);

  if (session.state === 'checking') return <Loading label="Starting Tutti…" />;
  if (session.state === 'error') {
    return (
      <main class="content narrow">
        <ErrorBanner error={session.error} title="Tutti could not start." />
        <button class="btn" type="button" onClick={() => setProbe((p) => p + 1)}>
          Try again
        </button>
      </main>
    );
  }
  if (session.state === 'anonymous' || route.name === 'login') {
    // The redirect effect above moves the address to #/login (or away from it) after this
    // render; the form waits for it so a bookmark or reload of the page shows the address the
    // form is really on, and "next" is never read from a half-updated address.
    if (session.state === 'user' || route.name !== 'login') return <Loading />;
    return <LoginPage onLoggedIn={onLoggedIn} />;
  }

  const user = session.user;
  return (
    <Layout user={user} route={route} onLogout={onLogout}>
      {route.name === 'activations' && <ActivationsPage user={user} />}
      {route.name === 'activation' && <ActivationPage key={route.id} user={user} id={route.id} />}
      {route.name === 'audit' && <AuditPage key={route.id} id={route.id} />}
      {route.name === 'schedule' && <SchedulePage key={route.id} user={user} route={route} />}
      {route.name === 'calendar' && <CalendarPage key={route.id} user={user} route={route} />}
      {route.name === 'measurement' && <MeasurementPage key={route.id} route={route} />}
      {route.name === 'assets' && <AssetsPage key={route.id} user={user} route={route} />}
      {route.name === 'approvals' && <ActivationApprovalsPage key={route.id} user={user} id={route.id} />}
      {route.name === 'gates' && <GatesPage key={route.id} user={user} id={route.id} />}
      {route.name === 'crisis' && <CrisisPage key={route.id} user={user} id={route.id} />}
      {route.name === 'inbox' && <ApprovalsInboxPage user={user} />}
      {route.name === 'not_found' && <NotFound path={route.path} />}
    </Layout>
  );
}

function NotFound({ path }: { path: string }) {
  useDocumentTitle('Not found');
  return (
    <div class="page narrow">
      <h1>Page not found</h1>
      <p class="muted">
        There is no page at <code>{path}</code>. <a href="#/activations">Go to activations</a>.
      </p>
    </div>
  );
}
