// The console shell: signs in with a token, then shows the pages the user's roles may use.
import { useCallback, useEffect, useState } from 'react';
import { api, ApiError, onUnauthorized } from './api';
import { Empty } from './components/Empty';
import { ErrorNotice } from './components/ErrorNotice';
import { Link } from './components/Link';
import { Loading } from './components/Loading';
import { Shell } from './components/Shell';
import { CashPage } from './pages/CashPage';
import { DefinitionsPage } from './pages/DefinitionsPage';
import { EmailTemplatesPage } from './pages/EmailTemplatesPage';
import { FormsPage } from './pages/FormsPage';
import { JourneyPage } from './pages/JourneyPage';
import { MigrationsPage } from './pages/MigrationsPage';
import { PipelinePage } from './pages/PipelinePage';
import { PurchaseOrdersPage } from './pages/PurchaseOrdersPage';
import { QueuePage } from './pages/QueuePage';
import { isQueueName, landingPath, QUEUE_PAGES, queuesFor } from './queues';
import { ReportsPage } from './pages/ReportsPage';
import { ResponseRulesPage } from './pages/ResponseRulesPage';
import { SignInPage } from './pages/SignInPage';
import { StuckPage } from './pages/StuckPage';
import { navigate, useLocation } from './router';
import { loadLabels } from './labels';
import { parseRoute, type Route } from './routes';
import { clearToken, getToken } from './session';
import type { User } from './types';
import {
  canEditDefinitions,
  canEditResponse,
  canMakeForms,
  canReadResponseRules,
  canReceiveGoods,
  canSeePurchaseOrders,
  canSeeStuck,
  canWorkCash,
} from './vocabulary';

function Page({ route, me }: { route: Route; me: User }) {
  switch (route.name) {
    case 'pipeline':
    case 'signin':
      return <PipelinePage me={me} />;
    case 'journey':
      return <JourneyPage id={route.id} me={me} />;
    case 'stuck':
      return canSeeStuck(me.roles) ? <StuckPage me={me} /> : <NotForYou page="The stuck monitor" roles="finance, ops or admin" />;
    case 'definitions':
      return canEditDefinitions(me.roles) ? <DefinitionsPage me={me} /> : <NotForYou page="Process definitions" roles="ops or admin" />;
    case 'migrations':
      return canEditDefinitions(me.roles) ? <MigrationsPage /> : <NotForYou page="Migrations" roles="ops or admin" />;
    case 'responseRules':
      return canReadResponseRules(me.roles) ? (
        <ResponseRulesPage canEdit={canEditResponse(me.roles)} />
      ) : (
        <NotForYou page="Response rules" roles="ops, sales_manager or admin" />
      );
    case 'emailTemplates':
      return canEditResponse(me.roles) ? <EmailTemplatesPage /> : <NotForYou page="Email templates" roles="ops or admin" />;
    case 'forms':
      return canMakeForms(me.roles) ? <FormsPage /> : <NotForYou page="Web forms" roles="ops or admin" />;
    case 'reports':
      return <ReportsPage />;
    case 'cash':
      return canWorkCash(me.roles) ? <CashPage /> : <NotForYou page="Cash" roles="finance or admin" />;
    case 'purchaseOrders':
      return canSeePurchaseOrders(me.roles) ? (
        <PurchaseOrdersPage canReceive={canReceiveGoods(me.roles)} />
      ) : (
        <NotForYou page="Purchase orders" roles="warehouse, finance or admin" />
      );
    case 'queue':
      if (!isQueueName(route.queue)) return <Empty title="There is no such queue." />;
      return queuesFor(me.roles).some((q) => q.queue === route.queue) ? (
        <QueuePage queue={route.queue} />
      ) : (
        <NotForYou
          page={`The queue "${QUEUE_PAGES.find((q) => q.queue === route.queue)?.label ?? route.queue}"`}
          roles={(QUEUE_PAGES.find((q) => q.queue === route.queue)?.roles ?? []).join(', ')}
        />
      );
    case 'notFound':
      return (
        <Empty title="There is no page here.">
          <Link href="/pipeline">Go to the pipeline</Link>
        </Empty>
      );
  }
}

function NotForYou({ page, roles }: { page: string; roles: string }) {
  return (
    <Empty title={`${page} needs the role ${roles}.`}>
      <Link href="/pipeline">Go to the pipeline</Link>
    </Empty>
  );
}

export function App() {
  const { pathname } = useLocation();
  const [me, setMe] = useState<User | null>(null);
  const [checking, setChecking] = useState(() => getToken() !== null);
  const [error, setError] = useState<ApiError | null>(null);
  // Stage and event names come with the definitions' labels: pages wait for them once per sign-in.
  const [labelsFor, setLabelsFor] = useState<string | null>(null);

  const signOut = useCallback(() => {
    clearToken();
    setMe(null);
  }, []);

  useEffect(() => onUnauthorized(() => setMe(null)), []);

  useEffect(() => {
    if (!me) return;
    const done = () => setLabelsFor(me.id);
    loadLabels().then(done, done);
  }, [me]);

  useEffect(() => {
    if (!getToken()) return;
    api.get<User>('/v1/users/me').then(
      (user) => {
        setMe(user);
        setChecking(false);
        if (window.location.pathname === '/') navigate(landingPath(user.roles), { replace: true });
      },
      (e: unknown) => {
        setChecking(false);
        if (e instanceof ApiError && e.status !== 401) setError(e);
      },
    );
  }, []);

  const signedIn = (user: User) => {
    setMe(user);
    setError(null);
    // Each role starts the day at its own queue; a deep link keeps its page.
    if (parseRoute(pathname).name === 'signin' || pathname === '/') navigate(landingPath(user.roles), { replace: true });
  };

  if (checking) return <Loading label="Signing in…" />;
  if (!me) {
    return (
      <>
        {error && <ErrorNotice error={error} title="Could not check the saved sign-in" />}
        <SignInPage onSignedIn={signedIn} />
      </>
    );
  }
  if (labelsFor !== me.id) return <Loading label="Signing in…" />;
  const route = parseRoute(pathname);
  return (
    <Shell me={me} route={route} onSignOut={signOut}>
      <Page route={route} me={me} />
    </Shell>
  );
}
